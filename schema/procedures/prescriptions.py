"""The handover's prescriptions (`handOver(input: {prescriptions, noPrescriptionReason})`):
checked here, kept in the handover's record, printed on her leaflet, in the copy of her file
(`domain.procedures.prescriptions` says when they are required)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.procedures.prescriptions import MAX_DAYS, MAX_PRESCRIPTIONS, prescription_problem
from schema.context import Context
from schema.journeys.actions import load_visible_journey
from schema.procedures.journey_type import journey_procedure
from schema.text import check_text


@strawberry.input(description="One medicine the client takes home after her treatment.")
class PrescriptionInput:
    medicine: str = strawberry.field(description="Its name, e.g. `amoxicillin` (at most 200).")
    dose: str = strawberry.field(description="One dose, e.g. `500 mg` (at most 100).")
    frequency: str = strawberry.field(
        description="How often, e.g. `every 8 hours, after meals` (at most 200)."
    )
    days: int = strawberry.field(description=f"For how many days, 1 to {MAX_DAYS}.")
    note: str | None = strawberry.field(
        default=None, description="Anything else she must know of it (at most 500)."
    )


def one_problems(field: str, given: PrescriptionInput) -> list[FieldProblem]:
    problems = check_text(f"{field}.medicine", given.medicine, required=True, limit=200)
    problems += check_text(f"{field}.dose", given.dose, required=True, limit=100)
    problems += check_text(f"{field}.frequency", given.frequency, required=True, limit=200)
    problems += check_text(f"{field}.note", given.note, required=False, limit=500)
    if not 1 <= given.days <= MAX_DAYS:
        problems.append(FieldProblem(f"{field}.days", f"1 to {MAX_DAYS}", Code.OUT_OF_RANGE))
    return problems


async def prescription_problems(
    info: Info[Context, None],
    journey_id: str,
    prescriptions: list[PrescriptionInput],
    reason: str | None,
) -> list[FieldProblem]:
    """Each medicine checked; a surgery's handover names some, or why none (the journey's
    procedure type says whether it is one)."""
    if len(prescriptions) > MAX_PRESCRIPTIONS:
        return [FieldProblem("prescriptions", f"at most {MAX_PRESCRIPTIONS}", Code.TOO_MANY)]
    problems = check_text("noPrescriptionReason", reason, required=False, limit=500)
    for index, given in enumerate(prescriptions):
        problems += one_problems(f"prescriptions[{index}]", given)
    row = await load_visible_journey(info, journey_id)
    procedure = await journey_procedure(row) if row is not None else None
    category = procedure.content.category if procedure else None
    reason_given = bool(reason and reason.strip())
    refused = prescription_problem("prescriptions", category, len(prescriptions), reason_given)
    if refused is not None:
        problems.append(refused)
    return problems
