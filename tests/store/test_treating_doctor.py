"""Who treated a journey, as its treatment record (and its corrections) name them, on the real
database: a doctor of the clinic, else the expert who approved the plan."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from typing import Any

from domain.roles import Role
from domain.store.models import Clinic, JourneyEvent, JourneyRecord, StaffAccount
from domain.store.records import draft_record
from domain.store.treating_doctor import treating_doctor
from tests.staff_rows import staff_account

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _global(account_id: str) -> str:
    return base64.b64encode(f"StaffMember:{account_id}".encode()).decode()


async def _clinic() -> tuple[str, dict[Role, str]]:
    """A clinic with a doctor, a nurse, and a doctor of another clinic (keyed SUPERVISOR)."""
    tag = uuid.uuid4().hex[:10]
    staff: dict[Role, str] = {}
    for clinic, role in ((tag, Role.EXPERT), (tag, Role.NURSE), (f"other-{tag}", Role.EXPERT)):
        await Clinic.get_or_create(id=clinic, defaults={"name": clinic})
        account = await staff_account(clinic, f"{clinic}-{role.value.lower()}", role)
        staff[Role.SUPERVISOR if clinic != tag else role] = str(account.id)
    return tag, staff


async def _treated(body: dict[str, Any], *corrections: dict[str, Any]) -> str:
    journey_id = f"journey-{uuid.uuid4()}"
    record = await draft_record(journey_id, "treatment", body, "nurse-1")
    await JourneyEvent.create(
        journey_id=journey_id,
        seq=9,
        action="complete_treatment",
        to_stage="HANDOVER",
        actor_id="nurse-1",
        actor_role="NURSE",
        at=NOW,
        summary="treated",
        record_id=record,
    )
    for correction in corrections:
        await JourneyRecord.create(
            id=str(uuid.uuid4()),
            journey_id=journey_id,
            kind="treatment_amendment",
            body={"reason": "wrong", "correction": correction},
            author_id="supervisor-1",
            amends_id=record,
        )
    return journey_id


async def test_the_doctor_named_treats_else_the_approving_expert() -> None:
    clinic, staff = await _clinic()
    doctor, nurse, elsewhere = staff[Role.EXPERT], staff[Role.NURSE], staff[Role.SUPERVISOR]

    async def treated_by(body: dict[str, Any], *corrections: dict[str, Any]) -> str | None:
        return await treating_doctor(await _treated(body, *corrections), clinic, "approver")

    assert await treated_by({"performer_id": _global(doctor)}) == doctor
    # A nurse, another clinic's doctor, no performer, nothing readable: the approving expert.
    assert await treated_by({"performer_id": _global(nurse)}) == "approver"
    assert await treated_by({"performer_id": _global(elsewhere)}) == "approver"
    assert await treated_by({"procedure": "fillers"}) == "approver"
    assert await treated_by({"performer_id": 7}) == "approver"
    assert await treating_doctor(f"journey-{uuid.uuid4()}", clinic, None) is None
    # The latest correction of the performer stands; one of another field leaves it.
    named_nurse = {"performer_id": _global(nurse)}
    assert await treated_by(named_nurse, {"performer_id": _global(doctor)}, {"notes": "x"}) == (
        doctor
    )
    assert await treated_by({"performer_id": _global(doctor)}, named_nurse) == "approver"
    # A correction giving the raw account id names the same doctor.
    assert await treated_by(named_nurse, {"performer_id": doctor}) == doctor

    # A doctor who has left the clinic still treated; but one still there is asked for, the
    # approving expert answers (a complication's task) while still a doctor here, else no one
    # (any doctor).
    approver = str((await staff_account(clinic, f"{clinic}-approver", Role.EXPERT)).id)
    await StaffAccount.filter(id=doctor).update(active=False)
    left = await _treated({"performer_id": _global(doctor)})
    assert await treating_doctor(left, clinic, approver) == doctor
    assert await treating_doctor(left, clinic, approver, still_here=True) == approver
    by_nurse = await _treated({"performer_id": _global(nurse)})
    await StaffAccount.filter(id=approver).update(active=False)
    assert await treating_doctor(left, clinic, approver, still_here=True) is None
    assert await treating_doctor(by_nurse, clinic, approver, still_here=True) is None
    assert await treating_doctor(by_nurse, clinic, approver) == approver
    assert await treating_doctor(by_nurse, clinic, "approver", still_here=True) is None
