"""The text staff write into the clinic's reference data follows the rules of all staff text: it
shows something where it is required and holds no control or text-direction character. A hostile
pass stored "Ewa" + U+202E as a catalogue item, a procedure type's name, a consent template's
title, a staff member's name and (with a bell character) a clinic's name; a checklist label and
a consent's risks of zero-width spaces alone passed as given."""

from __future__ import annotations

import dataclasses

import pytest

from domain.catalog.items import check_item
from domain.consent.templates import SECTIONS, check_template
from domain.procedures.template import ChecklistItem, check_content
from domain.store.administration import account_problems, clinic_problems
from server.procedure_seeds import FILLER
from tests.unit.test_contraindications import FILLER as FILLER_ITEM

OVERRIDE = "Ewa\u202e gel"
BLANK = "\u200b\u200b"
UNREADABLE = "contains a control or text-direction character"


def _messages(problems: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {p.field: p.message for p in problems}


def test_a_catalogue_item_names_itself_and_its_substances_readably() -> None:
    item = dataclasses.replace(FILLER_ITEM, name=OVERRIDE, ingredients=("hyaluronic", BLANK))
    found = _messages(check_item(item))
    assert found["name"].startswith(UNREADABLE)
    assert found["ingredients[1]"] == "required"


def test_a_procedure_types_texts_are_readable_and_show_something() -> None:
    names = {**FILLER.names, "pl": OVERRIDE}
    checklist = [*FILLER.checklist[:-1], ChecklistItem(FILLER.checklist[-1].code, BLANK)]
    broken = dataclasses.replace(FILLER, names=names, checklist=checklist)
    found = _messages(check_content("filler", broken))
    assert found["names.pl"].startswith(UNREADABLE)
    assert found[f"checklist[{len(checklist) - 1}].label"] == "required"


def test_a_consent_templates_sections_are_readable_and_show_something() -> None:
    texts = {lang: {s: f"{lang} {s}" for s in SECTIONS} for lang in ("pl", "ru", "zh", "en")}
    first, second = SECTIONS[0], SECTIONS[1]
    texts["en"][first] = OVERRIDE
    texts["pl"][second] = BLANK
    found = _messages(check_template("filler", "filler", texts))
    assert found[f"texts.en.{first}"].startswith(UNREADABLE)
    assert found[f"texts.pl.{second}"] == "required"


@pytest.mark.parametrize("name", [OVERRIDE, "Ewa\u202e\u0007", BLANK])
def test_a_clinics_and_a_staff_members_names_are_readable(name: str) -> None:
    clinic = _messages(clinic_problems("clinic-1", name, "Europe/Warsaw"))
    account = _messages(account_problems("ewa.nowak", name, None))
    assert clinic["name"] == account["displayName"]
    assert clinic["name"] == "required" or clinic["name"].startswith(UNREADABLE)
