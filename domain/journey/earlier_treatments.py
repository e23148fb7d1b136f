"""Her earlier treatments, as the consultation records them (seed 003, 3.2: the consultant asks
for "treatment history"; 4.1: she tells the expert of it; DOMAIN.md "Consultation": earlier
treatments and their effects).

The consultant says it either way: each earlier treatment (what, roughly when, and its effect),
or that she has had none (`no_earlier_treatments`). A consultation recorded before she had to
say it has no such flag: it reads as not asked, whatever text it kept of them.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code

MAX_EARLIER_TREATMENTS = 20
FLAG = "no_earlier_treatments"
LISTED_KEY = "earlier_treatments"
# The fields of one earlier treatment, as the record keeps them, and the most each holds (its
# effect: as any staff text); when, roughly: "2023", "two years ago", "spring 2024".
TREATMENT_FIELDS = ("what", "when", "effect")
LIMITS = {"what": 200, "when": 100}


class EarlierTreatmentsAnswer(Enum):
    LISTED = "LISTED"  # her earlier treatments are named, each with when and its effect
    NONE = "NONE"  # she said she has had none
    NOT_ASKED = "NOT_ASKED"  # a consultation recorded before the question was required


def said_problems(
    listed_field: str, flag_field: str, listed: int, none: bool
) -> list[FieldProblem]:
    """Neither the treatments (`listed` of them) nor that she has had none, or both: refused on
    the field it concerns (`listed_field`, `flag_field`); within `MAX_EARLIER_TREATMENTS`."""
    if listed == 0 and not none:
        return [
            FieldProblem(
                listed_field,
                f"name her earlier treatments, or say she has had none ({flag_field})",
                Code.REQUIRED,
            )
        ]
    if listed and none:
        return [
            FieldProblem(
                flag_field,
                "earlier treatments are named: she cannot have had none",
                Code.INCONSISTENT,
            )
        ]
    if listed > MAX_EARLIER_TREATMENTS:
        return [FieldProblem(listed_field, f"at most {MAX_EARLIER_TREATMENTS}", Code.TOO_MANY)]
    return []


def _treatments(needs: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    listed = needs.get(LISTED_KEY)
    if not isinstance(listed, list):
        return []
    return [item for item in listed if isinstance(item, Mapping)]


def answer_of(needs: Mapping[str, Any] | None) -> EarlierTreatmentsAnswer:
    """What the consultation says of them: a record without the flag, or with it false and no
    treatment named, was not asked; one an amendment gave treatments names them."""
    if (needs or {}).get(FLAG) is True:
        return EarlierTreatmentsAnswer.NONE
    if _treatments(needs or {}):
        return EarlierTreatmentsAnswer.LISTED
    return EarlierTreatmentsAnswer.NOT_ASKED


def with_answer(needs: Any) -> Any:
    """Her needs as a reader gets them: `no_earlier_treatments` true (none), false (named) or
    null (not asked: recorded before the question), present on every record."""
    if not isinstance(needs, Mapping):
        return needs
    flag = {EarlierTreatmentsAnswer.NONE: True, EarlierTreatmentsAnswer.LISTED: False}
    return {**needs, FLAG: flag.get(answer_of(needs))}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def one_treatment(item: Mapping[str, Any]) -> str:
    """ "botox, forehead (2023): lasted four months": what, when, and its effect."""
    what, when, effect = (_text(item.get(name)) for name in TREATMENT_FIELDS)
    said = f"{what} ({when})" if when else what
    return f"{said}: {effect}" if effect else said


def described(needs: Mapping[str, Any] | None, none: str, not_asked: str) -> str:
    """Her earlier treatments in words: each named one, `none` when she has had none, and on a
    record from before the question the text it kept, else `not_asked`."""
    needs = needs or {}
    answer = answer_of(needs)
    if answer is EarlierTreatmentsAnswer.NONE:
        return none
    if answer is EarlierTreatmentsAnswer.LISTED:
        return "; ".join(one_treatment(item) for item in _treatments(needs))
    kept = needs.get(LISTED_KEY)
    return _text(kept) or not_asked
