"""Who consents to a client's data being kept at registration: a minor by her guardian, named
with the relation; an adult herself, or by a guardian named with the relation."""

from __future__ import annotations

from datetime import date

from domain.client_file.data_consent import consent_body, guardian_problems

DAY = date(2026, 3, 2)
SEVENTEEN = date(2008, 3, 3)  # 18 tomorrow
EIGHTEEN = date(2008, 3, 2)  # 18 on the day


def _fields(born: date, name: str | None, relation: str | None) -> list[str]:
    return [problem.field for problem in guardian_problems(born, DAY, name, relation)]


def test_a_minor_names_her_guardian_and_how_they_are_related() -> None:
    assert _fields(SEVENTEEN, None, None) == ["guardianName", "guardianRelation"]
    assert _fields(SEVENTEEN, "  ", "mother") == ["guardianName"]
    assert _fields(SEVENTEEN, "Anna Nowak", None) == ["guardianRelation"]
    assert _fields(SEVENTEEN, "Anna Nowak", "mother") == []


def test_an_adult_needs_none_and_a_guardian_named_for_her_needs_a_relation() -> None:
    assert _fields(EIGHTEEN, None, None) == []
    assert _fields(EIGHTEEN, "Jan Nowak", None) == ["guardianRelation"]
    assert _fields(EIGHTEEN, None, "father") == ["guardianName"]
    assert _fields(EIGHTEEN, "Jan Nowak", "legal guardian") == []


def test_the_entry_keeps_each_on_one_line_and_none_without_a_guardian() -> None:
    assert consent_body(" Anna \n Nowak ", "mother ") == {
        "given_by": "GUARDIAN",
        "guardian_name": "Anna Nowak",
        "guardian_relation": "mother",
    }
    assert consent_body(None, "mother") is None and consent_body("Anna", " ") is None
