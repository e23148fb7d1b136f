"""How much one staff request may put on the triage desk.

The desk is one workflow's state, and Temporal payloads are bounded (2 MB each by default): the
whole desk travels in every continue-as-new and in each run's first record, its seats, make-ups
and policy in every record and staff answer. Unbounded, one request carrying a megabyte of item
codes, or one correction adding a million make-up turns (each an object, built in the desk's
update handler), would make the desk's next payload too large for Temporal, which ends or stalls
the run, and the clinic's desk with it. So each list of codes and each correction is bounded
here; the API answers a request past a bound with `ValidationFailed` before the desk hears of it,
and the desk's validators refuse it again (`within_bounds`). Only validators: the update
handlers replay, and a run may hold larger input it accepted before these bounds existed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from domain.errors import FieldProblem, FieldProblemCode, ValidationFailed
from domain.triage.commands import ArriveCommand, OverrideCommand, SeatCommand

# Item codes are catalogue codes ("rhinoplasty", "botox-forehead"), as long as an id at most.
MAX_CODE_LENGTH = 64
# A code is one word: letters, marks and digits of any script, and "_", "." or "-", with at
# least one letter ("3d-lipo", "隆胸", "हाइड्रा"). Codes travel in the desk's Temporal payloads,
# which carry ids and codes only: a space, an "@" or a "+" would let a name, an address, a phone
# number or a sentence in ("Anna Kowalska 600100200"), and so would a code of digits alone.
_CODE_SHAPE = "an item code is one word with a letter: letters, digits, _ . or -"
_JOINERS = frozenset("_.-")
# Items one client asks for at an arrival, and the items one consultant's scope names.
MAX_ASKED_ITEMS = 50
# Items a clinic offers, or counts as key items, in its rotation policy.
MAX_POLICY_ITEMS = 500
# Turns or make-up turns one correction of the desk's record adds or takes: a correction
# mends a day's count, which no desk has seen reach this.
MAX_CORRECTION = 50
# Consultants one rotation order or key-item ranking names: a clinic's whole consultant team,
# with room to spare (each is looked up before the desk hears of the list).
MAX_CONSULTANTS_NAMED = 200


def item_codes(items: Sequence[str] | None) -> tuple[str, ...]:
    """Item codes as the desk matches them: trimmed, composed (NFC), lower-cased, blanks
    dropped. The bounds are checked on these (lower-casing can lengthen a code: "İ" becomes
    two characters)."""
    return tuple(
        unicodedata.normalize("NFC", item.strip()).lower() for item in items or () if item.strip()
    )


def _one_word(code: str) -> bool:
    kinds = {unicodedata.category(char)[0] for char in code if char not in _JOINERS}
    return "L" in kinds and kinds <= {"L", "M", "N"}


def codes_problem(field: str, codes: Sequence[str] | None, most: int) -> FieldProblem | None:
    """What is wrong with a list of item codes (None: nothing, or no list given)."""
    if codes is None:
        return None
    if len(codes) > most:
        return FieldProblem(field, f"at most {most} item codes", FieldProblemCode.TOO_MANY)
    for code in codes:
        if len(code) > MAX_CODE_LENGTH:
            return FieldProblem(
                field,
                f"an item code has at most {MAX_CODE_LENGTH} characters",
                FieldProblemCode.TOO_LONG,
            )
        if not _one_word(code):
            return FieldProblem(field, _CODE_SHAPE, FieldProblemCode.BAD_FORMAT)
    return None


def correction_problem(field: str, delta: int) -> FieldProblem | None:
    """What is wrong with the turns a correction adds (negative: takes)."""
    if abs(delta) > MAX_CORRECTION:
        return FieldProblem(
            field, f"from -{MAX_CORRECTION} to {MAX_CORRECTION}", FieldProblemCode.OUT_OF_RANGE
        )
    return None


def within_bounds(command: object) -> None:
    """Refuses (`ValidationFailed`) a desk command past a bound; any other command passes."""
    problems: list[FieldProblem | None] = []
    if isinstance(command, ArriveCommand):
        problems.append(codes_problem("items", command.arrival.items, MAX_ASKED_ITEMS))
    elif isinstance(command, SeatCommand):
        problems.append(codes_problem("scope", command.scope, MAX_ASKED_ITEMS))
        problems.append(_words_problem(command.reason))
    elif isinstance(command, OverrideCommand):
        policy = command.policy
        problems += [
            _words_problem(command.reason),
            None if policy is None or policy.name in ("", "default") else _named_policy(),
            correction_problem("turnsDelta", command.turns_delta),
            correction_problem("makeupDelta", command.makeup_delta),
            codes_problem(
                "offeredItems", policy.offered_items if policy else None, MAX_POLICY_ITEMS
            ),
            codes_problem("keyItems", policy.key_items if policy else None, MAX_POLICY_ITEMS),
            codes_problem("majorItems", policy.major_items if policy else None, MAX_POLICY_ITEMS),
            codes_problem(
                "surgicalItems", policy.surgical_items if policy else None, MAX_POLICY_ITEMS
            ),
        ]
    found = [problem for problem in problems if problem is not None]
    if found:
        raise ValidationFailed(found)


def _words_problem(reason: str) -> FieldProblem | None:
    """Staff words go to a desk note, named by its id: a command that carries them itself is
    refused (older histories hold such commands, and their handlers still take them)."""
    if reason:
        return FieldProblem(
            "reason",
            "the desk takes a note's id, not the words themselves",
            FieldProblemCode.INVALID,
        )
    return None


def _named_policy() -> FieldProblem:
    return FieldProblem(
        "policy.name", "a policy's name is a desk note's, not the words", FieldProblemCode.INVALID
    )
