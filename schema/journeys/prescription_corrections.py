"""A correction of a handover's discharge prescription (`amendRecord` of the handover's record
with `prescriptions` or `no_prescription_reason`).

Her leaflet and her copy of the file read the prescription as corrected, so a correction is
checked as `handOver` checked it (`domain.procedures.prescriptions`): at most
`MAX_PRESCRIPTIONS` medicines, each with its medicine, dose and frequency, 1 to `MAX_DAYS` days
and an optional note; the record as it would then read names the medicines or why none (a
surgery's, one of the two), never both. The prescription of a treatment a doctor hands over
(a surgery) is a doctor's order: staff who may not hand that treatment over do not correct it.
"""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from domain.client_file.journey_records import Handover
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.procedures.checklist import handover_problem
from domain.procedures.prescriptions import MAX_PRESCRIPTIONS, prescription_problem
from domain.store.latest_record import record_as_amended
from domain.store.models import Journey as JourneyRow
from domain.store.models import JourneyEvent, JourneyRecord
from domain.store.recheck_tasks import HANDOVER_RECORD
from schema.context import Context
from schema.errors import NotAuthorized, ValidationFailed, not_authorized
from schema.money.common import invalid
from schema.procedures.journey_type import journey_procedure
from schema.procedures.prescriptions import PrescriptionInput, one_problems
from schema.text import check_text

MEDICINES = "prescriptions"
REASON = "no_prescription_reason"
_OWN = (MEDICINES, REASON)
_MEDICINE_FIELDS = ("medicine", "dose", "frequency", "days", "note")
_TEXTS = ("medicine", "dose", "frequency")


def _spelled(key: str) -> str | None:
    """The record's field a key names, however spelled (`noPrescriptionReason`); None: neither."""
    bare = key.replace("_", "").lower()
    return next((own for own in _OWN if own.replace("_", "") == bare), None)


def _medicine(field: str, given: Any, problems: list[FieldProblem]) -> None:
    """One medicine of the correction, checked as `handOver` checks a `PrescriptionInput`."""
    if not isinstance(given, dict):
        problems.append(
            FieldProblem(
                field, "an object {medicine, dose, frequency, days, note}", Code.BAD_FORMAT
            )
        )
        return
    for key in given:
        if key not in _MEDICINE_FIELDS:
            problems.append(
                FieldProblem(f"{field}.{key}", "not a field of a medicine", Code.UNKNOWN_VALUE)
            )
    shaped = True
    for key in (*_TEXTS, "note"):
        value = given.get(key)
        if not (isinstance(value, str) or (key == "note" and value is None)):
            problems.append(FieldProblem(f"{field}.{key}", "text", Code.BAD_FORMAT))
            shaped = False
    days = given.get("days")
    if not isinstance(days, int) or isinstance(days, bool):
        problems.append(FieldProblem(f"{field}.days", "a whole number of days", Code.BAD_FORMAT))
    elif shaped:
        medicine = PrescriptionInput(
            medicine=given["medicine"],
            dose=given["dose"],
            frequency=given["frequency"],
            days=days,
            note=given.get("note"),
        )
        problems += one_problems(field, medicine)


def _shape_problems(correction: dict[str, Any]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if MEDICINES in correction:
        listed = correction[MEDICINES]
        field = f"correction.{MEDICINES}"
        if not isinstance(listed, list):
            problems.append(
                FieldProblem(field, "a list of medicines (empty: none)", Code.BAD_FORMAT)
            )
        elif len(listed) > MAX_PRESCRIPTIONS:
            problems.append(FieldProblem(field, f"at most {MAX_PRESCRIPTIONS}", Code.TOO_MANY))
        else:
            for index, given in enumerate(listed):
                _medicine(f"{field}[{index}]", given, problems)
    if REASON in correction:
        reason = correction[REASON]
        field = f"correction.{REASON}"
        if reason is not None and not isinstance(reason, str):
            problems.append(FieldProblem(field, "text, or null", Code.BAD_FORMAT))
        else:
            problems += check_text(field, reason, required=False, limit=500)
    return problems


async def prescription_correction_refusal(
    info: Info[Context, None],
    journey: JourneyRow,
    event: JourneyEvent,
    original: JourneyRecord,
    correction: Any,
) -> ValidationFailed | NotAuthorized | None:
    """Why a correction of the handover's prescription is refused, or None (none named)."""
    claims = info.context.claims
    if original.kind != HANDOVER_RECORD or not isinstance(correction, dict) or claims is None:
        return None
    named = [key for key in correction if _spelled(key)]
    if not named:
        return None
    misspelled = [key for key in named if key not in _OWN]
    if misspelled:
        want = " and ".join(_OWN)
        return invalid(
            [FieldProblem("correction", f"the record's keys are {want}", Code.UNKNOWN_VALUE)]
        )
    procedure = await journey_procedure(journey)
    category = procedure.content.category if procedure else None
    refused = handover_problem(category, claims.role)
    if refused is not None:
        return not_authorized(f"{refused}: the prescription is the doctor's to correct")
    problems = _shape_problems(correction)
    if problems:
        return invalid(problems)
    # The record as it would read with this correction laid over its amendments so far.
    now = (await record_as_amended(original, event, Handover)).record
    medicines = correction.get(MEDICINES, now.prescriptions) or []
    reason = correction.get(REASON, now.no_prescription_reason)
    reason_given = isinstance(reason, str) and bool(reason.strip())
    field = f"correction.{MEDICINES}"
    problem = prescription_problem(field, category, len(medicines), reason_given)
    if problem is not None:
        return invalid([problem])
    return None
