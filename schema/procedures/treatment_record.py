"""The treatment record's team and times (seed 003: the surgeon, the anesthetist, the nurses).

Anesthetists hold the expert (doctor) role here: the roles are the clinic's accounts, and an
anesthetist signs in as a doctor.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.roles import Role
from domain.store.models import StaffAccount
from schema.context import Context
from schema.ids import decode_id
from schema.text import check_text

MAX_NURSES = 10
# A treatment is recorded as it ends (`completeTreatment`): a time further back than a year is
# a mistyped year, not a late record.
OLDEST_TIME = timedelta(days=366)


def _utc(moment: datetime) -> datetime:
    """A time given without an offset is taken as UTC, so any two can be compared."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def time_problems(input: Any, now: datetime) -> list[FieldProblem]:
    """The treatment's times: not in the future, nor more than `OLDEST_TIME` back, the end not
    before the start. A record of a treatment in year 1, or tomorrow, was kept as given."""
    problems = []
    for field, moment in (("startedAt", input.started_at), ("endedAt", input.ended_at)):
        if moment is None:
            continue
        if _utc(moment) > now:
            problems.append(
                FieldProblem(field, f"in the future (it is {now.isoformat()})", Code.OUT_OF_RANGE)
            )
        elif _utc(moment) < now - OLDEST_TIME:
            problems.append(
                FieldProblem(field, f"at most {OLDEST_TIME.days} days back", Code.OUT_OF_RANGE)
            )
    if input.started_at and input.ended_at and _utc(input.ended_at) < _utc(input.started_at):
        problems.append(FieldProblem("endedAt", "not before startedAt", Code.INCONSISTENT))
    return problems


async def team_problems(info: Info[Context, None], input: Any) -> list[FieldProblem]:
    """The treatment record's team, times and surgical notes: the anesthetist an active doctor
    (expert) of the clinic, the nurses its active nurses, the times (`time_problems`)."""
    problems = check_text("anesthesia", input.anesthesia, required=False, limit=2000)
    problems += check_text("admission", input.admission, required=False)
    problems += check_text("operatingRoomHandover", input.operating_room_handover, required=False)
    problems += time_problems(input, datetime.now(UTC))
    claims = info.context.claims
    if claims is None:
        return problems
    if input.anesthetist_id is not None:
        anesthetist = decode_id(input.anesthetist_id, "StaffMember") or ""
        if not await StaffAccount.exists(
            id=anesthetist, clinic_id=claims.clinic_id, role=Role.EXPERT.value, active=True
        ):
            problems.append(
                FieldProblem("anesthetistId", "an active doctor of this clinic", Code.UNKNOWN_VALUE)
            )
    if len(input.nurse_ids) > MAX_NURSES:
        problems.append(FieldProblem("nurseIds", f"at most {MAX_NURSES}", Code.TOO_MANY))
        return problems
    nurses = {decode_id(nurse, "StaffMember") or "" for nurse in input.nurse_ids}
    found = await StaffAccount.filter(
        id__in=nurses, clinic_id=claims.clinic_id, role=Role.NURSE.value, active=True
    ).count()
    if found != len(nurses):
        problems.append(
            FieldProblem("nurseIds", "active nurses of this clinic", Code.UNKNOWN_VALUE)
        )
    return problems
