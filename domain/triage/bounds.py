"""How much one staff request may put on the triage desk.

The desk is one workflow's state, and Temporal payloads are bounded (2 MB each by default): the
whole desk travels in every continue-as-new and in each run's first record, its seats, make-ups
and policy in every record and staff answer. Unbounded, one request carrying a megabyte of item
codes, or one correction adding a million make-up turns (each an object, built in the desk's
update handler), would make the desk's next payload too large for Temporal, which ends or stalls
the run, and the clinic's desk with it. So each list of codes and each correction is bounded
here; the API answers a request past a bound with `ValidationFailed` before the desk hears of it,
and the desk's validators refuse it again (`domain.triage.checks`).
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import FieldProblem

# Item codes are catalogue codes ("rhinoplasty", "botox-forehead"), as long as an id at most.
MAX_CODE_LENGTH = 64
# Items one client asks for at an arrival, and the items one consultant's scope names.
MAX_ASKED_ITEMS = 50
# Items a clinic offers, or counts as key items, in its rotation policy.
MAX_POLICY_ITEMS = 500
# Turns or make-up turns one correction of the desk's record adds or takes: a correction
# mends a day's count, which no desk has seen reach this.
MAX_CORRECTION = 50


def codes_problem(field: str, codes: Sequence[str] | None, most: int) -> FieldProblem | None:
    """What is wrong with a list of item codes (None: nothing, or no list given)."""
    if codes is None:
        return None
    if len(codes) > most:
        return FieldProblem(field, f"at most {most} item codes")
    for code in codes:
        if len(code) > MAX_CODE_LENGTH:
            return FieldProblem(field, f"an item code has at most {MAX_CODE_LENGTH} characters")
    return None


def correction_problem(field: str, delta: int) -> FieldProblem | None:
    """What is wrong with the turns a correction adds (negative: takes)."""
    if abs(delta) > MAX_CORRECTION:
        return FieldProblem(field, f"from -{MAX_CORRECTION} to {MAX_CORRECTION}")
    return None
