"""Who gave the consent to keep a client's data at registration (DOMAIN.md stage 1): the client,
or for a client under 18 her guardian, as every other consent of a minor is given
(`domain.consent.signature`; DOMAIN.md stage 5: under-18s need a guardian's signature; seed 003
on signing: "年轻人应征得父母的同意", the young need their parents' consent).

A guardian named at registration is kept as the file's `DATA_CONSENT` entry, written with the
client in the registration's transaction: its body names the guardian and the relation, its
author and time are the desk's. Pure: no I/O.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.ages import is_minor
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.text import one_line

GUARDIAN_GIVES = "a client under 18 consents to her data being kept by her guardian: name them"
RELATION_NEEDED = "say how the guardian is related to the client"
NAME_NEEDED = "a guardian consents with their name"


def guardian_problems(
    birth_date: date, day: date, guardian_name: str | None, guardian_relation: str | None
) -> list[FieldProblem]:
    """What a registration lacks for the consent of the client born on `birth_date`: for a
    minor on `day`, the guardian's name and relation; a guardian named for an adult (one under
    guardianship) needs their relation too."""
    named = bool((guardian_name or "").strip())
    related = bool((guardian_relation or "").strip())
    problems = []
    if is_minor(birth_date, day) and not named:
        problems.append(FieldProblem("guardianName", GUARDIAN_GIVES, Code.REQUIRED))
    elif related and not named:
        problems.append(FieldProblem("guardianName", NAME_NEEDED, Code.REQUIRED))
    if (named or is_minor(birth_date, day)) and not related:
        problems.append(FieldProblem("guardianRelation", RELATION_NEEDED, Code.REQUIRED))
    return problems


def consent_body(guardian_name: str | None, guardian_relation: str | None) -> dict[str, Any] | None:
    """The `DATA_CONSENT` entry's body: the guardian who gave the consent, each on one line;
    None when no guardian is named (the client gave it)."""
    name = one_line(guardian_name or "")
    relation = one_line(guardian_relation or "")
    if not (name and relation):
        return None
    return {"given_by": "GUARDIAN", "guardian_name": name, "guardian_relation": relation}
