"""The journey takes its procedure type version when the expert approves a plan naming it.

The newest version at that moment is the journey's for good: its id, and its follow-up plan's
offsets, travel to the journey's workflow (ids and numbers only) and a later version changes
neither.
"""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.facts import ActionDetails
from domain.procedures.template import ProcedureAnaesthesia, ProcedureContent
from schema.context import Context
from schema.procedures.publish import latest_version


async def pin_procedure_type(
    info: Info[Context, None], plan: Any, details: ActionDetails, problems: list[FieldProblem]
) -> None:
    type_key = getattr(plan, "procedure_type", None)
    claims = info.context.claims
    if not type_key or claims is None:
        return
    version = await latest_version(claims.clinic_id, type_key[:100])
    if version is None:
        problems.append(
            FieldProblem(
                "finalPlan.procedureType", "not a procedure type of yours", Code.UNKNOWN_VALUE
            )
        )
        return
    content = ProcedureContent.from_json(version.content)
    details.procedure_type_version_id = version.id
    details.follow_up_offsets = content.follow_up_offsets()
    # DOMAIN.md's consent: the anesthesia consent when there is anesthesia. The type's version
    # says whether its treatment is given under one (a surgery always is, `anaesthesia_read`;
    # an injectable may be, the anaesthetic in the injection), so its plan says so too.
    if content.anaesthesia is not ProcedureAnaesthesia.NONE and not details.requires_anesthesia:
        kind = content.anaesthesia.value.lower()
        problems.append(
            FieldProblem(
                "finalPlan.requiresAnesthesia",
                f"the procedure type is given under {kind} anaesthesia: the plan has "
                "anesthesia, and the client's anesthesia consent comes first",
                Code.INCONSISTENT,
            )
        )
