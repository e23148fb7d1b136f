"""The client file's checks, without a database: dates, topics' own fields, phone numbers."""

from __future__ import annotations

from datetime import date

import pytest

from domain.client_file.checks import Dates, check_entry
from domain.client_file.identity import (
    Identity,
    changes_nothing,
    corrected_identity,
    international_phone,
)
from domain.client_file.kinds import EntryKind
from domain.errors import FieldProblem, FieldProblemCode

DATES = Dates(birth=date(1990, 5, 1), today=date(2026, 1, 5))


def test_a_delay_needs_minutes_and_a_day_and_nothing_else_takes_them() -> None:
    body, problems = check_entry(
        EntryKind.SERVICE_CARD,
        {
            "section": "CLINIC_DELAY",
            "note": "waited",
            "minutes": 25,
            "occurred_on": date(2026, 1, 5),
        },
        DATES,
    )
    assert problems == []
    assert body == {
        "section": "CLINIC_DELAY",
        "note": "waited",
        "minutes": 25,
        "occurred_on": "2026-01-05",
        "ask_about_results": None,
    }
    _, problems = check_entry(
        EntryKind.SERVICE_CARD, {"section": "PREFERENCE_DRINKS", "note": "tea", "minutes": 5}, DATES
    )
    assert problems == [
        FieldProblem(
            "minutes", "only for CLINIC_DELAY and CLIENT_LATENESS", FieldProblemCode.INCONSISTENT
        )
    ]


@pytest.mark.parametrize(
    ("note", "message", "code"),
    [
        ("\u200b\u200b", "required", FieldProblemCode.REQUIRED),
        (
            "tea\u202e",
            "contains a control or text-direction character (U+202E at character 4)",
            FieldProblemCode.BAD_FORMAT,
        ),
    ],
)
def test_an_entry_s_text_shows_what_it_is(note: str, message: str, code: FieldProblemCode) -> None:
    _, problems = check_entry(
        EntryKind.SERVICE_CARD, {"section": "PREFERENCE_DRINKS", "note": note}, DATES
    )
    assert problems == [FieldProblem("note", message, code)]


def test_dates_lie_between_birth_and_today() -> None:
    for stated_on, message in (
        (date(2026, 1, 6), "in the future (today is 2026-01-05)"),
        (date(1990, 4, 30), "before the client's birth date"),
    ):
        _, problems = check_entry(
            EntryKind.PREGNANCY_STATUS,
            {"pregnant": True, "lactating": False, "stated_on": stated_on},
            DATES,
        )
        assert problems == [FieldProblem("statedOn", message, FieldProblemCode.OUT_OF_RANGE)]


def test_phone_numbers_are_kept_in_international_form() -> None:
    assert international_phone("+48600100200") == "+48 600 100 200"
    assert international_phone("+7 921 322 00 31") == "+7 921 322-00-31"
    assert isinstance(international_phone("600 100 200"), FieldProblem)
    assert isinstance(international_phone("+48 600"), FieldProblem)
    # A long extension makes a valid number longer than the column keeps
    long_extension = international_phone("+54 9 11 2345-6789 ext 12345678901234567890")
    assert long_extension == FieldProblem(
        "phone", "at most 40 characters in international form", FieldProblemCode.TOO_LONG
    )


@pytest.mark.parametrize(
    ("name", "message", "code"),
    [
        ("\u200b\u200b", "required when given", FieldProblemCode.REQUIRED),
        (
            "Anna\u202eNowak",
            "contains a control or text-direction character (U+202E at character 5)",
            FieldProblemCode.BAD_FORMAT,
        ),
    ],
)
def test_a_corrected_name_shows_what_it_is(name: str, message: str, code: FieldProblemCode) -> None:
    current = Identity("Anna Nowak", "+48 600 100 200", None)
    after = corrected_identity(current, full_name=name, phone=None, email=None, reason="typo")
    assert after == [FieldProblem("fullName", message, code)]


def test_an_identity_correction_keeps_what_it_does_not_change() -> None:
    current = Identity("Anna Nowak", "+48 600 100 200", None)
    after = corrected_identity(
        current, full_name=None, phone=None, email="anna@example.com", reason="new mailbox"
    )
    assert after == Identity("Anna Nowak", "+48 600 100 200", "anna@example.com")
    assert changes_nothing(current, after) is None
    assert changes_nothing(after, after) is not None
