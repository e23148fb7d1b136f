"""The check `startTreatment` makes of a complex procedure before asking the journey (seed 004
三.4, `domain.procedures.complex_lead`): the caller a doctor holding a senior professional title,
an assistant and a nurse of the clinic named. A refusal writes nothing and never reaches the
workflow: its history has no trace of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry
from strawberry.types import Info

from domain.errors import ErrorCode, FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.procedures.complex_lead import (
    ASSISTANT_PROBLEM,
    ASSISTANTS,
    NURSE_PROBLEM,
    NURSES,
    lead_refusal,
)
from domain.roles import Role
from domain.store.models import StaffAccount
from schema.context import Context
from schema.errors import UserError
from schema.ids import decode_id


@strawberry.type(
    description="Seed 004 三.4: a complex procedure (`ProcedureTypeVersion.complex`) is led by "
    "a doctor holding a senior professional title (`StaffMember.seniorTitle`), with an "
    "assistant and a nurse; the caller is not such a doctor, and the treatment does not start. "
    "The message names the rule and what is missing."
)
class SeniorTitleRequired(UserError):
    pass


@dataclass(frozen=True)
class LeadGate:
    refusal: SeniorTitleRequired | None = None
    problems: list[FieldProblem] = field(default_factory=list)


async def _member(clinic_id: str, staff_id: Any, roles: frozenset[Role]) -> str | None:
    """The raw id of the active account of the clinic `staff_id` names, in one of `roles`."""
    raw = decode_id(staff_id, "StaffMember") if staff_id is not None else None
    if raw is None:
        return None
    found = await StaffAccount.exists(
        id=raw, clinic_id=clinic_id, role__in=[role.value for role in roles], active=True
    )
    return raw if found else None


async def team_problems(
    info: Info[Context, None], input: Any, required: bool
) -> list[FieldProblem]:
    """The assistant (another active doctor of the clinic) and the nurse (an active nurse of
    the clinic) a start names: checked whenever named, required of a complex procedure."""
    claims = info.context.claims
    if claims is None:
        return []
    problems = []
    assistant = await _member(claims.clinic_id, input.assistant_id, ASSISTANTS)
    named = input.assistant_id is not None
    if (named or required) and (assistant is None or assistant == claims.account_id):
        leading = assistant is not None  # the leading doctor named as her own assistant
        code = Code.INCONSISTENT if leading else Code.UNKNOWN_VALUE if named else Code.REQUIRED
        problems.append(FieldProblem("assistantId", ASSISTANT_PROBLEM, code))
    nurse = await _member(claims.clinic_id, input.nurse_id, NURSES)
    if (input.nurse_id is not None or required) and nurse is None:
        code = Code.UNKNOWN_VALUE if input.nurse_id is not None else Code.REQUIRED
        problems.append(FieldProblem("nurseId", NURSE_PROBLEM, code))
    return problems


async def caller_lead_refusal(info: Info[Context, None]) -> str | None:
    """Why the caller may not lead a complex procedure (`lead_refusal`), their title read from
    their account once a request. `startTreatment` refuses with it (`lead_gate`) and the
    journey's `availableActions` shows START_TREATMENT refused with it: the two never disagree.
    The caller cannot change their own title (`setSeniorTitle` is another role's), so the
    account read once holds for the whole request."""
    claims = info.context.claims
    if claims is None:
        return None
    lead = await info.context.loaders.staff.load((claims.clinic_id, claims.account_id))
    return lead_refusal(claims.role, bool(lead and lead.senior_title))


async def lead_gate(info: Info[Context, None], input: Any, complex_: bool) -> LeadGate:
    """Asked by `startTreatment` before the journey is, `complex_` when the journey's version
    is complex and its treatment has not begun (`checklist_gate`: a retry of a start that went
    through passes here, and the journey answers it)."""
    if info.context.claims is None:
        return LeadGate()
    why = await caller_lead_refusal(info) if complex_ else None
    if why is not None:
        return LeadGate(SeniorTitleRequired(code=ErrorCode.SENIOR_TITLE_REQUIRED, message=why))
    return LeadGate(problems=await team_problems(info, input, required=complex_))
