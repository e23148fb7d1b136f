"""A client who withdraws her photos' consent for the clinical record, the purpose every photo
needs, has her open photo reminders closed with it (`NO_PHOTO_CONSENT`): off the nurses' list and
out of the overdue count, each with its closing record, once however often the withdrawal is
retried. Given again, the consent brings none of them back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.aftercare.tasks import TaskKind
from domain.roles import Role
from domain.store.aftercare import FollowUpTask, TaskChangeLog, TaskClosing
from schema.ids import decode_id
from tests.api import documents
from tests.api.consent_support import WITHDRAW_CONSENT
from tests.api.flow import PLAN, JourneyDriver
from tests.api.photo_support import SET_CONSENT, new_key, set_consent, sign_photo_consent
from tests.api.post_op_support import operate, surgery_under_way, surgical_type
from tests.api.procedure_support import GENERAL_CHECKLIST, JOURNEY, START, complete_items, run
from tests.api.typed_aftercare_support import tasks_of_journey

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
WITHDRAWN = "the client withdrew her photos' consent for the clinical record"


async def _operated(clinic: JourneyDriver) -> tuple[str, str]:
    """A surgery done, its photo before on file: (journey, client), the later photos open."""
    jid = await surgery_under_way(clinic)
    await operate(clinic, jid)
    client = (await run(clinic, JOURNEY, Role.SUPERVISOR, id=jid))["client"]["id"]
    return jid, client


async def _withdraw(clinic: JourneyDriver, client: str, key: str) -> dict[str, Any]:
    withdrawn = {"clientId": client, "purpose": "CLINICAL_RECORD", "given": False}
    input = {**withdrawn, "idempotencyKey": key}
    data = await clinic.api.run(SET_CONSENT, clinic.token(Role.FRONT_DESK), input=input)
    return data["setPhotoConsent"]  # type: ignore[no-any-return]


async def _listed(clinic: JourneyDriver, jid: str) -> list[str | None]:
    """The photo reminders of the journey on the nurses' list, by their stage."""
    tasks = await tasks_of_journey(clinic, Role.NURSE, jid)
    return [t["photoStage"] for t in tasks if t["kind"] == "PHOTO"]


async def _photo_rows(jid: str) -> list[FollowUpTask]:
    raw = decode_id(jid, "Journey")
    return await FollowUpTask.filter(journey_id=raw, kind=TaskKind.PHOTO.value).order_by("due_at")


async def test_withdrawing_the_clinical_record_closes_her_photo_reminders(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # Given an operated client, her suture removal, three months' and year's photos on the list
    jid, client = await _operated(clinic)
    assert await _listed(clinic, jid) == ["SUTURE_REMOVAL", "THREE_MONTHS", "ONE_YEAR"]
    # When she withdraws the clinical record's purpose, and the withdrawal is retried
    key = new_key()
    first = await _withdraw(clinic, client, key)
    assert first["__typename"] == "PhotoConsentPayload", first
    retried = await _withdraw(clinic, client, key)
    assert retried == first
    # Then the reminders leave the nurses' list
    assert await _listed(clinic, jid) == []
    # And each is closed for the withdrawal, with one closing record and one change pushed
    rows = await _photo_rows(jid)
    by_status = {row.label: row.status for row in rows}
    assert by_status == {
        "BEFORE": "DONE",
        "SUTURE_REMOVAL": "NO_PHOTO_CONSENT",
        "THREE_MONTHS": "NO_PHOTO_CONSENT",
        "ONE_YEAR": "NO_PHOTO_CONSENT",
    }
    closed = [row.id for row in rows if row.status == "NO_PHOTO_CONSENT"]
    closings = await TaskClosing.filter(task_id__in=closed)
    assert sorted(c.task_id for c in closings) == sorted(closed)
    front_desk = clinic.staff[Role.FRONT_DESK].account_id
    assert {(c.note, c.closed_by, c.closed_by_role) for c in closings} == {
        (WITHDRAWN, front_desk, "FRONT_DESK")
    }
    assert await TaskChangeLog.filter(task_id__in=closed).count() == len(closed)
    # When she gives the purpose again, Then the closed reminders stay closed
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
    assert await _listed(clinic, jid) == []
    assert [row.status for row in await _photo_rows(jid)] == [by_status[r.label] for r in rows]


async def test_withdrawing_another_purpose_leaves_them_open(fresh_clinic: FreshClinic) -> None:
    clinic = await fresh_clinic()
    # Given an operated client who also let her photos teach
    jid, client = await _operated(clinic)
    await set_consent(clinic, client, "TEACHING", True)
    # When she withdraws teaching alone
    await set_consent(clinic, client, "TEACHING", False)
    # Then her photo reminders stay on the list
    assert await _listed(clinic, jid) == ["SUTURE_REMOVAL", "THREE_MONTHS", "ONE_YEAR"]


async def _operated_on_a_signed_consent(clinic: JourneyDriver) -> str:
    """A surgery done whose client signed a PHOTO consent for the clinical record first."""
    type_key = await surgical_type(clinic)
    jid = (await clinic.drive_to("EXPERT_REVIEW"))["id"]
    final = {**PLAN, "procedureType": type_key, "requiresAnesthesia": True}
    approval = {"journeyId": jid, "decision": "APPROVE", "points": "as agreed", "finalPlan": final}
    await clinic.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    await sign_photo_consent(clinic, jid, ["CLINICAL_RECORD"])
    await clinic.sign_consent(jid, Role.EXPERT)
    anaesthesia = {
        "kind": "ANESTHESIA",
        "signerName": "Anna Nowak",
        "templateId": "anesthesia-consent",
        "templateVersion": "1",
        "rightsExplained": True,
    }
    await clinic.ok(documents.SIGN_CONSENT, Role.EXPERT, journeyId=jid, **anaesthesia)
    await clinic.pay(jid)
    await complete_items(clinic, jid, GENERAL_CHECKLIST)
    started = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert started["journey"]["stage"] == "TREATMENT", started
    await operate(clinic, jid)
    return jid


async def test_withdrawing_the_signed_photo_consent_closes_them_too(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # Given an operated client whose signed PHOTO consent gave the clinical record
    jid = await _operated_on_a_signed_consent(clinic)
    assert await _listed(clinic, jid) == ["SUTURE_REMOVAL", "THREE_MONTHS", "ONE_YEAR"]
    # When she withdraws that consent on her journey
    key = new_key()
    withdrawal = {"journeyId": jid, "kind": "PHOTO", "idempotencyKey": key}
    await clinic.ok(WITHDRAW_CONSENT, Role.NURSE, **withdrawal)
    # Then her reminders close for it, by the nurse who recorded it, once
    assert await _listed(clinic, jid) == []
    closed = [row.id for row in await _photo_rows(jid) if row.status == "NO_PHOTO_CONSENT"]
    assert len(closed) == 3
    closings = await TaskClosing.filter(task_id__in=closed)
    nurse = clinic.staff[Role.NURSE].account_id
    assert {(c.note, c.closed_by) for c in closings} == {(WITHDRAWN, nurse)}
    assert await TaskChangeLog.filter(task_id__in=closed).count() == 3
