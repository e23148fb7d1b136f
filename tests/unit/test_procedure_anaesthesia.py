"""The anaesthesia a procedure type version names, and what follows from it (seed 003): the
checks before an operation (a general anaesthesia's food and water, a local one's emptied bladder
and bowels, every operation's menstruation, each on the day), the versions stored before the
kinds, and the ward's observation after the operation, which knows the anaesthesia."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.client_file.post_op import Anaesthesia, Operation, check_observation
from domain.procedures.checklist import counts_on
from domain.procedures.template import (
    ChecklistItem,
    ProcedureAnaesthesia,
    ProcedureCategory,
    ProcedureContent,
    anaesthesia_named,
    anaesthesia_read,
    check_content,
    content_hash,
    required_checks,
)
from server.procedure_seeds import BLEPHAROPLASTY, FILLER

LOCAL, GENERAL, NONE = (
    ProcedureAnaesthesia.LOCAL,
    ProcedureAnaesthesia.GENERAL,
    ProcedureAnaesthesia.NONE,
)


def _surgery(kind: ProcedureAnaesthesia, *codes: str) -> ProcedureContent:
    """The demo surgery under `kind`, its checklist the rules' for it and `codes`."""
    listed = (*required_checks(ProcedureCategory.SURGERY, kind), *codes)
    items = {item.code: item for item in BLEPHAROPLASTY.checklist}
    checklist = [items.get(code, ChecklistItem(code, code.replace("_", " "))) for code in listed]
    return dataclasses.replace(BLEPHAROPLASTY, anaesthesia=kind, checklist=checklist)


def _problems(content: ProcedureContent) -> set[tuple[str, str]]:
    return {(p.field, p.message) for p in check_content("bleph", content)}


def _without(content: ProcedureContent, code: str) -> ProcedureContent:
    return dataclasses.replace(content, checklist=[i for i in content.checklist if i.code != code])


def test_a_surgery_names_a_local_or_a_general_anaesthesia_only_a_surgery_a_general_one() -> None:
    assert _problems(_surgery(LOCAL)) == set()
    assert _problems(_surgery(GENERAL)) == set()
    # A surgery under none (an input that names no anaesthesia) is refused on the field
    unnamed = dataclasses.replace(_surgery(LOCAL), anaesthesia=NONE)
    assert _problems(unnamed) == {("anaesthesia", "LOCAL or GENERAL for this category")}
    # An injectable under none or a local one, never a general one
    assert _problems(FILLER) == set()
    assert _problems(dataclasses.replace(FILLER, anaesthesia=LOCAL)) == set()
    general = dataclasses.replace(FILLER, anaesthesia=GENERAL)
    assert _problems(general) == {("anaesthesia", "NONE or LOCAL for this category")}


def test_a_general_anaesthesia_asks_the_fasting_a_local_one_the_emptied_bladder() -> None:
    required = "'{}' is required for this category"
    general, local = _surgery(GENERAL), _surgery(LOCAL)
    codes = {item.code for item in general.checklist}
    assert {"fasting_confirmed", "menstruation_checked"} <= codes
    assert "bladder_bowels_emptied" not in codes
    for code in ("fasting_confirmed", "menstruation_checked"):
        assert _problems(_without(general, code)) == {("checklist", required.format(code))}
    # Under a local anaesthesia the bladder and the menstruation, and no fasting asked
    codes = {item.code for item in local.checklist}
    assert {"bladder_bowels_emptied", "menstruation_checked"} <= codes
    assert "fasting_confirmed" not in codes
    for code in ("bladder_bowels_emptied", "menstruation_checked"):
        assert _problems(_without(local, code)) == {("checklist", required.format(code))}
    # A clinic may list the other's check besides
    assert _problems(_surgery(GENERAL, "bladder_bowels_emptied")) == set()
    # And a treatment of another category asks neither, under a local anaesthesia too
    assert required_checks(ProcedureCategory.INJECTABLES, LOCAL) == required_checks(
        ProcedureCategory.INJECTABLES, NONE
    )


def test_the_fasting_and_the_menstruation_count_on_the_day_of_the_operation_only() -> None:
    monday, wednesday = date(2026, 3, 2), date(2026, 3, 4)
    for code in ("fasting_confirmed", "menstruation_checked"):
        assert not counts_on(code, monday, wednesday)
        assert counts_on(code, wednesday, wednesday)


def test_a_version_stored_before_the_kinds_asks_what_it_asked() -> None:
    # Given the content of versions published before the kinds (no `anaesthesia` in it)
    surgery = {k: v for k, v in BLEPHAROPLASTY.to_json().items() if k != "anaesthesia"}
    filler = {k: v for k, v in FILLER.to_json().items() if k != "anaesthesia"}
    # Then the surgery reads as LOCAL (it lists the bladder check), the injectable as NONE
    assert ProcedureContent.from_json(surgery).anaesthesia is LOCAL
    assert ProcedureContent.from_json(filler).anaesthesia is NONE
    # And neither named one: the ward takes the nurse's word for how the operation went
    assert anaesthesia_named(surgery) is None
    assert anaesthesia_named(BLEPHAROPLASTY.to_json()) is LOCAL
    # A surgery stored as NONE (the column's default, a release before's write) reads as LOCAL
    assert anaesthesia_read(ProcedureCategory.SURGERY, "NONE") is LOCAL
    assert anaesthesia_read(ProcedureCategory.SURGERY, "GENERAL") is GENERAL
    assert anaesthesia_read(ProcedureCategory.ENERGY_DEVICES, None) is NONE
    # A version published now keeps its kind, and its hash covers it
    assert ProcedureContent.from_json(_surgery(GENERAL).to_json()) == _surgery(GENERAL)
    other = dataclasses.replace(_surgery(GENERAL), anaesthesia=LOCAL)
    assert content_hash("bleph", 2, other) != content_hash("bleph", 2, _surgery(GENERAL))


ENDED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
VITALS = {"systolic": 118, "diastolic": 76, "pulse": 72, "respiratory_rate": 16}


def _observe(operation: Operation, **fields: object) -> tuple[dict[str, object], list[str]]:
    vitals = {**VITALS, "temperature_celsius": 36.6}
    sent = {"observed_at": ENDED + timedelta(hours=1), "vitals": vitals, **fields}
    body, problems = check_observation(sent, operation, ENDED + timedelta(hours=2))
    return body, [f"{p.field}: {p.message}" for p in problems]


@pytest.mark.parametrize("named", [Anaesthesia.LOCAL, Anaesthesia.GENERAL])
def test_the_observation_knows_the_operation_s_anaesthesia_and_refuses_another(
    named: Anaesthesia,
) -> None:
    operation = Operation("j1", ENDED, ZoneInfo("Europe/Warsaw"), named)
    flat = {"lying_flat": True, "nil_by_mouth": True} if named is Anaesthesia.GENERAL else {}
    # When the nurse says nothing of it, Then the type's is kept (and its rules asked)
    body, problems = _observe(operation, **flat)
    assert (body["anaesthesia"], problems) == (named.value, [])
    # When she names the other, Then it is refused on the field, naming the type's
    other = next(kind for kind in Anaesthesia if kind is not named)
    _, problems = _observe(operation, anaesthesia=other.value, **flat)
    assert problems == [f"anaesthesia: {named.value}, as the journey's procedure type is given"]
    # A version from before the kinds names none: her word is needed, and kept
    unnamed = Operation("j1", ENDED, ZoneInfo("Europe/Warsaw"))
    _, problems = _observe(unnamed)
    assert problems == ["anaesthesia: required: the journey's procedure type names none"]
    body, problems = _observe(unnamed, anaesthesia=named.value, **flat)
    assert (body["anaesthesia"], problems) == (named.value, [])
