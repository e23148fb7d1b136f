"""What a catalogue item is and what makes one valid: pure rules, no I/O.

An item names what it contains (ingredients), which allergies rule it out besides those
(allergens: a class such as "amide anaesthetics", a carrier, latex in the device), which
medications interact with it, which states rule it out (pregnancy, lactation) and the youngest
age it may be given at. Substances and medications are compared by their normalised names
(`normalise`), so "Lidocaine " and "lidocaine" are one substance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from domain.errors import FieldProblem, FieldProblemCode
from domain.text import comparable, text_problem

MAX_NAME = 200
MAX_LIST = 50
MAX_AGE = 120


class ItemKind(str, Enum):
    PRODUCT = "PRODUCT"
    PROCEDURE = "PROCEDURE"


class ExcludedState(str, Enum):
    """A state of the client that rules an item out."""

    PREGNANCY = "PREGNANCY"
    LACTATION = "LACTATION"


def normalise(name: str) -> str:
    """One spelling per substance (`text.comparable`). Before, an allergy written
    "lido\u00adcaine" or with a decomposed "i\u0308" passed a check that lists "Lidocaine"."""
    return comparable(name)


@dataclass(frozen=True)
class CatalogItemSpec:
    """One version of an item, as the contraindication rule reads it."""

    item_id: str
    name: str
    kind: ItemKind = ItemKind.PRODUCT
    ingredients: tuple[str, ...] = ()
    allergens: tuple[str, ...] = ()
    interacting_medications: tuple[str, ...] = ()
    excluded_states: frozenset[ExcludedState] = field(default_factory=frozenset)
    minimum_age: int | None = None

    def substances(self) -> dict[str, str]:
        """Everything an allergy may be to, by normalised name: ingredients, then allergens."""
        found: dict[str, str] = {}
        for name in (*self.ingredients, *self.allergens):
            found.setdefault(normalise(name), name)
        return found


def _names(field_name: str, values: Sequence[str], problems: list[FieldProblem]) -> None:
    if len(values) > MAX_LIST:
        problems.append(
            FieldProblem(field_name, f"at most {MAX_LIST} names", FieldProblemCode.TOO_MANY)
        )
    seen: set[str] = set()
    for index, value in enumerate(values):
        key = normalise(value)
        problem = text_problem(f"{field_name}[{index}]", value, required=True, limit=MAX_NAME)
        if problem:
            problems.append(problem)
        elif key in seen:
            problems.append(
                FieldProblem(f"{field_name}[{index}]", "named twice", FieldProblemCode.DUPLICATE)
            )
        seen.add(key)


def check_item(spec: CatalogItemSpec) -> list[FieldProblem]:
    """What is wrong with an item before it is stored (camelCase field names, as the API's)."""
    problems: list[FieldProblem] = []
    name_problem = text_problem("name", spec.name, required=True, limit=MAX_NAME)
    if name_problem:
        problems.append(name_problem)
    _names("ingredients", spec.ingredients, problems)
    _names("allergens", spec.allergens, problems)
    _names("interactingMedications", spec.interacting_medications, problems)
    if spec.minimum_age is not None and not 0 <= spec.minimum_age <= MAX_AGE:
        problems.append(
            FieldProblem("minimumAge", f"0 to {MAX_AGE} years", FieldProblemCode.OUT_OF_RANGE)
        )
    return problems


def cleaned(values: Sequence[str]) -> list[str]:
    """Names as stored: trimmed, inner whitespace kept to single spaces."""
    return [" ".join(value.split()) for value in values]
