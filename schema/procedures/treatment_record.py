"""The treatment record's team and times (seed 003: the surgeon, the anesthetist, the nurses).

Anesthetists hold the expert (doctor) role here: the roles are the clinic's accounts, and an
anesthetist signs in as a doctor.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from strawberry.types import Info

from domain.errors import FieldProblem
from domain.roles import Role
from domain.store.models import StaffAccount
from schema.context import Context
from schema.ids import decode_id
from schema.text import check_text

MAX_NURSES = 10


def _utc(moment: datetime) -> datetime:
    """A time given without an offset is taken as UTC, so any two can be compared."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def team_problems(info: Info[Context, None], input: Any) -> list[FieldProblem]:
    """The treatment record's team, times and surgical notes: the anesthetist an active doctor
    (expert) of the clinic, the nurses its active nurses, the end not before the start."""
    problems = check_text("anesthesia", input.anesthesia, required=False, limit=2000)
    problems += check_text("admission", input.admission, required=False)
    problems += check_text("operatingRoomHandover", input.operating_room_handover, required=False)
    if input.started_at and input.ended_at and _utc(input.ended_at) < _utc(input.started_at):
        problems.append(FieldProblem("endedAt", "not before startedAt"))
    claims = info.context.claims
    if claims is None:
        return problems
    if input.anesthetist_id is not None:
        anesthetist = decode_id(input.anesthetist_id, "StaffMember") or ""
        if not await StaffAccount.exists(
            id=anesthetist, clinic_id=claims.clinic_id, role=Role.EXPERT.value, active=True
        ):
            problems.append(FieldProblem("anesthetistId", "an active doctor of this clinic"))
    if len(input.nurse_ids) > MAX_NURSES:
        problems.append(FieldProblem("nurseIds", f"at most {MAX_NURSES}"))
        return problems
    nurses = {decode_id(nurse, "StaffMember") or "" for nurse in input.nurse_ids}
    found = await StaffAccount.filter(
        id__in=nurses, clinic_id=claims.clinic_id, role=Role.NURSE.value, active=True
    ).count()
    if found != len(nurses):
        problems.append(FieldProblem("nurseIds", "active nurses of this clinic"))
    return problems
