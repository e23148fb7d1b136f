"""Photo reminders follow the client's consent to photos for the clinical record as her own
decisions moved it: a withdrawal closes them only when it took back a consent she had given,
reminders written while she has withdrawn it are written closed, and a client who never gave it
keeps hers listed until she does. A retried withdrawal finishes its own closing and no other."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.aftercare import TaskChangeLog, TaskClosing
from domain.store.models import IdempotencyKey
from schema.photos import consent
from tests.api import documents
from tests.api.consent_support import WITHDRAW_CONSENT
from tests.api.flow import PLAN, JourneyDriver
from tests.api.photo_support import SET_CONSENT, new_key, set_consent, sign_photo_consent
from tests.api.procedure_support import (
    JOURNEY,
    START,
    V1_CHECKLIST,
    complete_items,
    run,
    set_type,
    type_input,
)
from tests.api.test_photo_reminders_withdrawn import WITHDRAWN, _photo_rows
from tests.api.typed_aftercare_support import tasks_of_journey

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
CLOSE_FOLLOW_UPS = documents.action("closeFollowUps", "CloseJourneyInput")


async def _approved(clinic: JourneyDriver, client: str | None = None) -> tuple[str, str]:
    """An injectable whose photo schedule is a photo before and one at two weeks, approved, on
    a new journey of `client` (a new client by default), consented: (journey, client)."""
    type_key = f"cheeks-{uuid.uuid4().hex[:6]}"
    points = [{"code": "before", "offsetDays": 0}, {"code": "week_2", "offsetDays": 14}]
    await set_type(clinic, type_input(type_key, photoSchedule=points))
    started = await clinic.start(client) if client else None
    jid = (await clinic.drive_to("EXPERT_REVIEW", started))["id"]
    plan = {**PLAN, "procedureType": type_key}
    approval = {"journeyId": jid, "decision": "APPROVE", "points": "ok", "finalPlan": plan}
    await clinic.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    client = (await run(clinic, JOURNEY, Role.SUPERVISOR, id=jid))["client"]["id"]
    return jid, client


async def _treat(clinic: JourneyDriver, jid: str) -> None:
    """Paid, checked (no photo taken) and treated: its reminders written."""
    await clinic.pay(jid)
    items = [{"code": c} for c in V1_CHECKLIST]
    items[-1]["needsResult"] = True
    await complete_items(clinic, jid, items, role=Role.NURSE)
    started = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert started["journey"]["stage"] == "TREATMENT", started
    await clinic.complete_treatment(jid)


async def _statuses(jid: str) -> dict[str | None, str]:
    return {row.label: row.status for row in await _photo_rows(jid)}


async def _closings(jid: str) -> set[tuple[str, str, str, Any]]:
    rows = [row.id for row in await _photo_rows(jid)]
    closings = await TaskClosing.filter(task_id__in=rows)
    return {(c.task_id, c.note, c.closed_by, c.closed_at) for c in closings}


async def _withdraw(clinic: JourneyDriver, client: str, key: str) -> dict[str, Any]:
    input = {"clientId": client, "purpose": "CLINICAL_RECORD", "given": False}
    data = await clinic.api.run(
        SET_CONSENT, clinic.token(Role.FRONT_DESK), input={**input, "idempotencyKey": key}
    )
    return data["setPhotoConsent"]  # type: ignore[no-any-return]


OPEN = {"BEFORE": "OPEN", "OTHER": "OPEN"}
UNCONSENTED = {"BEFORE": "NO_PHOTO_CONSENT", "OTHER": "NO_PHOTO_CONSENT"}


async def test_reminders_written_after_she_withdrew_the_clinical_record_are_written_closed(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # Given a client who gave, then withdrew, her photos for the clinical record
    jid, client = await _approved(clinic)
    await clinic.sign_consent(jid)
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
    await set_consent(clinic, client, "CLINICAL_RECORD", False)
    # When she is treated: no photo of hers can be uploaded
    await _treat(clinic, jid)
    # Then her reminders are written closed for the withdrawal, off the nurses' list
    assert await tasks_of_journey(clinic, Role.NURSE, jid) == []
    assert await _statuses(jid) == UNCONSENTED
    # And each has its closing record, naming who recorded the withdrawal
    front_desk = clinic.staff[Role.FRONT_DESK].account_id
    closings = await _closings(jid)
    assert {(note, by) for _, note, by, _ in closings} == {(WITHDRAWN, front_desk)}
    assert len(closings) == 2


async def test_reminders_written_after_she_gave_it_again_are_open(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # Given a client who gave, withdrew and gave again her photos for the clinical record
    jid, client = await _approved(clinic)
    await clinic.sign_consent(jid)
    for given in (True, False, True):
        await set_consent(clinic, client, "CLINICAL_RECORD", given)
    # When she is treated, Then her reminders are open, on the nurses' list
    await _treat(clinic, jid)
    assert await _statuses(jid) == OPEN
    listed = [t["photoStage"] for t in await tasks_of_journey(clinic, Role.NURSE, jid)]
    assert listed == ["BEFORE", "OTHER"], listed


async def test_withdrawing_a_consent_that_never_gave_the_clinical_record_leaves_them_open(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # Given a client treated before she consented to clinical-record photos, her reminders
    # open, who signed a PHOTO consent for teaching alone
    jid, _ = await _approved(clinic)
    await sign_photo_consent(clinic, jid, ["TEACHING"])
    await clinic.sign_consent(jid)
    await _treat(clinic, jid)
    assert await _statuses(jid) == OPEN
    # When she withdraws that teaching-only consent (she never gave the clinical record)
    withdrawal = {"journeyId": jid, "kind": "PHOTO", "idempotencyKey": new_key()}
    await clinic.ok(WITHDRAW_CONSENT, Role.NURSE, **withdrawal)
    # Then her reminders stay open, with no closing
    assert await _statuses(jid) == OPEN
    assert await _closings(jid) == set()


async def test_withdrawing_the_clinical_record_she_never_gave_leaves_them_open(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # Given a client treated who never consented to clinical-record photos, her reminders open
    jid, client = await _approved(clinic)
    await clinic.sign_consent(jid)
    await _treat(clinic, jid)
    # When the desk records her refusal of that purpose, twice (the second changes nothing)
    for _ in range(2):
        answer = await _withdraw(clinic, client, new_key())
        assert answer["__typename"] == "PhotoConsentPayload", answer
    # Then her reminders stay open, with no closing: she withdrew nothing she had given
    assert await _statuses(jid) == OPEN
    assert await _closings(jid) == set()


async def test_a_withdrawal_retried_after_an_interrupted_closing_finishes_it(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic = await fresh_clinic()
    # Given a treated client who consents to clinical-record photos, her reminders open
    jid, client = await _approved(clinic)
    await clinic.sign_consent(jid)
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
    await _treat(clinic, jid)
    # When her withdrawal dies once it is recorded, before her reminders are closed
    closing, calls = consent.close_without_consent, []

    async def dies_once(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("the process died")
        return await closing(*args, **kwargs)

    monkeypatch.setattr(consent, "close_without_consent", dies_once)
    key = new_key()
    with pytest.raises(TransportQueryError):
        await _withdraw(clinic, client, key)
    assert await _statuses(jid) == OPEN
    # And the desk's app retries it under its key
    answer = await _withdraw(clinic, client, key)
    assert answer["__typename"] == "PhotoConsentPayload", answer
    # Then the retry closes them
    assert await _statuses(jid) == UNCONSENTED
    assert len(await _closings(jid)) == 2


async def test_a_retried_withdrawal_closes_no_reminder_but_those_it_withdrew(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # Given a treated client who withdrew her clinical-record photos, her reminders closed, the
    # answer lost before its key was settled
    first, client = await _approved(clinic)
    await clinic.sign_consent(first)
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
    await _treat(clinic, first)
    await clinic.hand_over(first)
    ended = await clinic.ok(CLOSE_FOLLOW_UPS, Role.SUPERVISOR, journeyId=first, reason="cared")
    assert ended["stage"] == "COMPLETED", ended
    key = new_key()
    await _withdraw(clinic, client, key)
    closed = await _closings(first)
    assert await _statuses(first) == UNCONSENTED
    # And who then gave the purpose again, and was treated again: new reminders open
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
    second, _ = await _approved(clinic, client)
    await clinic.sign_consent(second)
    await _treat(clinic, second)
    assert await _statuses(second) == OPEN
    # When the desk's app retries the first withdrawal under its key
    assert await IdempotencyKey.filter(key=key).update(result_id="") == 1
    answer = await _withdraw(clinic, client, key)
    assert answer["__typename"] == "PhotoConsentPayload", answer
    # Then the new reminders stay open, and the first journey's keep their one closing each
    assert await _statuses(second) == OPEN
    assert await _closings(first) == closed
    # When she withdraws again, under a new key, and the first withdrawal is retried once more
    await _withdraw(clinic, client, new_key())
    closed_again = await _closings(second)
    tasks = [row.id for jid in (first, second) for row in await _photo_rows(jid)]
    changes = await TaskChangeLog.filter(task_id__in=tasks).count()
    assert await IdempotencyKey.filter(key=key).update(result_id="") == 1
    await _withdraw(clinic, client, key)
    # Then the new withdrawal's closings stand as it wrote them, and no change is pushed again
    assert await _statuses(second) == UNCONSENTED
    assert await _closings(second) == closed_again
    assert await TaskChangeLog.filter(task_id__in=tasks).count() == changes
