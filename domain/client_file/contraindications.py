"""Does the client's record rule out anything in the final plan? A pure rule, no I/O.

Checked at the start of treatment against every catalogue item the final plan names:
pregnancy and lactation as the latest statement says (an item that rules them out needs one
made that day: the handbooks check again before treatment, so none, or an earlier day's, is a
reason too), an allergy (recorded, not entered in
error) to something an item contains or lists as an allergen, a medication an item lists as
interacting (taken now, or stopped within `STOPPED_MEDICATION_COUNTS_DAYS`), and an age below
an item's minimum. Each hit is one reason with a stable
key, so the treating expert can override reasons one at a time and an override stays tied to
what it overrode: a corrected allergy entry is a new entry, and a new reason.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from domain.ages import age_on
from domain.catalog.items import CatalogItemSpec, ExcludedState, normalise


class ContraindicationCode(str, Enum):
    PREGNANCY = "PREGNANCY"
    LACTATION = "LACTATION"
    ALLERGY = "ALLERGY"
    MEDICATION = "MEDICATION"
    AGE = "AGE"


@dataclass(frozen=True)
class PregnancyStatement:
    pregnant: bool
    lactating: bool
    stated_on: date


# How long a medication the client has stopped still rules out an item it interacts with, its
# day named for the doctor to weigh: some need months without it (isotretinoin before a peel or
# a laser, six to twelve months by common guidance), so a year covers the long ones; an item
# names no washout of its own.
STOPPED_MEDICATION_COUNTS_DAYS = 365


@dataclass(frozen=True)
class NamedEntry:
    """An allergy (its substance) or a medication (its name) in force in the file; a
    medication the client has stopped names the day (`stopped_on`)."""

    entry_id: str
    name: str
    stopped_on: date | None = None


@dataclass(frozen=True)
class ClientRecord:
    """What the rule reads from the client file; entries corrected or in error left out."""

    birth_date: date
    today: date
    pregnancy: PregnancyStatement | None = None
    allergies: Sequence[NamedEntry] = ()
    medications: Sequence[NamedEntry] = ()

    @property
    def age(self) -> int:
        return age_on(self.birth_date, self.today)


@dataclass(frozen=True)
class Contraindication:
    code: ContraindicationCode
    key: str  # what an override names: the code, the item and, for entries, the entry
    item_id: str
    item_name: str
    detail: str


def _key(code: ContraindicationCode, item_id: str, entry_id: str | None = None) -> str:
    return ":".join([code.value, item_id, *([entry_id] if entry_id else [])])


# The key's last part for a state not stated that day, with the day: an override of it never
# covers a statement made afterwards (that one is a reason of its own), nor another day.
UNSTATED = "unstated"


def _states(record: ClientRecord, item: CatalogItemSpec) -> list[Contraindication]:
    found: list[Contraindication] = []
    statement = record.pregnancy
    ruled_out = [
        (state, code)
        for state, code in (
            (ExcludedState.PREGNANCY, ContraindicationCode.PREGNANCY),
            (ExcludedState.LACTATION, ContraindicationCode.LACTATION),
        )
        if state in item.excluded_states
    ]
    if not ruled_out:
        return found
    if statement is None or statement.stated_on < record.today:
        code = ruled_out[0][1]
        when = f"last stated {statement.stated_on.isoformat()}" if statement else "never stated"
        detail = (
            f"pregnancy and breastfeeding not stated today ({when}); "
            f"{item.name} rules out {' and '.join(c.value.lower() for _, c in ruled_out)}"
        )
        key = _key(code, item.item_id, f"{UNSTATED}-{record.today.isoformat()}")
        return [Contraindication(code, key, item.item_id, item.name, detail)]
    stated = statement.stated_on.isoformat()
    checks = (
        (ExcludedState.PREGNANCY, statement.pregnant, ContraindicationCode.PREGNANCY, "pregnant"),
        (ExcludedState.LACTATION, statement.lactating, ContraindicationCode.LACTATION, "lactating"),
    )
    for state, holds, code, word in checks:
        if holds and state in item.excluded_states:
            detail = f"the client is {word} (stated {stated}); {item.name} rules that out"
            found.append(
                Contraindication(code, _key(code, item.item_id), item.item_id, item.name, detail)
            )
    return found


def _allergies(record: ClientRecord, item: CatalogItemSpec) -> list[Contraindication]:
    substances = item.substances()
    code = ContraindicationCode.ALLERGY
    return [
        Contraindication(
            code,
            _key(code, item.item_id, allergy.entry_id),
            item.item_id,
            item.name,
            f"allergy to {allergy.name}; {item.name} contains or lists "
            f"{substances[normalise(allergy.name)]}",
        )
        for allergy in record.allergies
        if normalise(allergy.name) in substances
    ]


def _medications(record: ClientRecord, item: CatalogItemSpec) -> list[Contraindication]:
    interacting = {normalise(name) for name in item.interacting_medications}
    code = ContraindicationCode.MEDICATION
    return [
        Contraindication(
            code,
            _key(code, item.item_id, medication.entry_id),
            item.item_id,
            item.name,
            f"{_taking(medication)}, which interacts with {item.name}",
        )
        for medication in record.medications
        if normalise(medication.name) in interacting and _still_counts(medication, record.today)
    ]


def _still_counts(medication: NamedEntry, today: date) -> bool:
    stopped = medication.stopped_on
    return stopped is None or (today - stopped).days <= STOPPED_MEDICATION_COUNTS_DAYS


def _taking(medication: NamedEntry) -> str:
    if medication.stopped_on is None:
        return f"takes {medication.name}"
    return f"took {medication.name} until {medication.stopped_on.isoformat()}"


def _age(record: ClientRecord, item: CatalogItemSpec) -> list[Contraindication]:
    if item.minimum_age is None or record.age >= item.minimum_age:
        return []
    code = ContraindicationCode.AGE
    detail = f"the client is {record.age}; {item.name} needs at least {item.minimum_age}"
    return [Contraindication(code, _key(code, item.item_id), item.item_id, item.name, detail)]


def contraindications(
    record: ClientRecord, items: Sequence[CatalogItemSpec]
) -> list[Contraindication]:
    """Every reason the record rules out an item of the plan, item by item, in plan order."""
    found: list[Contraindication] = []
    for item in items:
        for rule in (_states, _allergies, _medications, _age):
            found += rule(record, item)
    return found


def standing(
    found: Sequence[Contraindication], overridden: Collection[str]
) -> list[Contraindication]:
    """The reasons no override has set aside."""
    return [reason for reason in found if reason.key not in overridden]
