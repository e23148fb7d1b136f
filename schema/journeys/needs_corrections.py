"""A correction of what a consultation says of her earlier treatments (`amendRecord` of the
consultation's record whose `needs` names `earlier_treatments` or `no_earlier_treatments`).

The record, her written consultation record and her copy read the needs as corrected (an
object's fields laid over the object's: `domain.client_file.amended`), so a correction is
checked as `recordConsultation` checks them (`domain.journey.earlier_treatments`): each earlier
treatment with what, roughly when and its effect, at most `MAX_EARLIER_TREATMENTS`; and the
needs as they would then read name them or say she has had none, never both (clear the other
with null or false). A correction that names neither changes no answer and is not asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.client_file.journey_records import Consultation
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.earlier_treatments import (
    FLAG,
    LIMITS,
    LISTED_KEY,
    MAX_EARLIER_TREATMENTS,
    TREATMENT_FIELDS,
    said_problems,
)
from domain.store.latest_record import record_as_amended
from domain.store.models import JourneyEvent, JourneyRecord
from schema.errors import ValidationFailed
from schema.money.common import invalid
from schema.text import MAX_TEXT, check_text

LISTED_FIELD = f"correction.needs.{LISTED_KEY}"
FLAG_FIELD = f"correction.needs.{FLAG}"
# The input's names, which the record does not keep: a correction under them would change nothing.
_CAMEL = {"earlierTreatments": LISTED_KEY, "noEarlierTreatments": FLAG}


def _treatment_problems(field: str, given: Any) -> list[FieldProblem]:
    if not isinstance(given, dict):
        return [FieldProblem(field, "an object {what, when, effect}", Code.BAD_FORMAT)]
    problems = [
        FieldProblem(f"{field}.{key}", "not a field of an earlier treatment", Code.UNKNOWN_VALUE)
        for key in given
        if key not in TREATMENT_FIELDS
    ]
    for name in TREATMENT_FIELDS:
        value = given.get(name)
        if not isinstance(value, str):
            problems.append(FieldProblem(f"{field}.{name}", "text", Code.BAD_FORMAT))
        else:
            limit = LIMITS.get(name, MAX_TEXT)
            problems += check_text(f"{field}.{name}", value, required=True, limit=limit)
    return problems


def _shape_problems(needs: Mapping[str, Any]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if FLAG in needs and not isinstance(needs[FLAG], bool):
        problems.append(FieldProblem(FLAG_FIELD, "true or false", Code.BAD_FORMAT))
    listed = needs.get(LISTED_KEY)
    if listed is None:
        return problems
    if not isinstance(listed, list):
        problems.append(
            FieldProblem(LISTED_FIELD, "a list of earlier treatments, or null", Code.BAD_FORMAT)
        )
    elif len(listed) <= MAX_EARLIER_TREATMENTS:
        for index, given in enumerate(listed):
            problems += _treatment_problems(f"{LISTED_FIELD}[{index}]", given)
    return problems


async def needs_correction_refusal(
    original: JourneyRecord, event: JourneyEvent, correction: Any
) -> ValidationFailed | None:
    """Why a correction of her earlier treatments is refused, or None (it names neither)."""
    if original.kind != Consultation.KIND or not isinstance(correction, dict):
        return None
    needs = correction.get("needs")
    if not isinstance(needs, dict):
        return None
    misspelled = [key for key in needs if key in _CAMEL]
    if misspelled:
        spelled = " and ".join(_CAMEL[key] for key in misspelled)
        return invalid(
            [
                FieldProblem(
                    "correction.needs", f"the record's keys are {spelled}", Code.UNKNOWN_VALUE
                )
            ]
        )
    if LISTED_KEY not in needs and FLAG not in needs:
        return None
    problems = _shape_problems(needs)
    if problems:
        return invalid(problems)
    # The needs as they would read with this correction laid over its amendments so far.
    now = (await record_as_amended(original, event, Consultation)).record.needs
    after = {**(now if isinstance(now, Mapping) else {}), **needs}
    listed = after.get(LISTED_KEY)
    count = len(listed) if isinstance(listed, list) else 0
    problems = said_problems(LISTED_FIELD, FLAG_FIELD, count, after.get(FLAG) is True)
    return invalid(problems) if problems else None
