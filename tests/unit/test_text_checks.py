"""Free text from staff: required text must show something; no text may carry characters that
change what a screen or a printout shows (found by a hostile pass: a client registered with a
name of zero-width spaces, or with a right-to-left override that shows "Ewa" as "awE")."""

from __future__ import annotations

import pytest

from domain.errors import FieldProblem
from schema.text import check_text

READABLE = [
    "Ewa Nowak",
    "Анна Смирнова",
    "王芳",
    "שרה כהן",  # right to left, ordered by the bidirectional algorithm, no controls
    "Zoë",  # a combining diaeresis on its letter
    "e\u0301",
    "Line one\nline two\ttabbed\r\n",
    "Anna\u200eNowak",  # a left-to-right mark is harmless and typed by some keyboards
    "\u2067שרה\u2069 Cohen",  # an isolate, as some phones wrap right-to-left names
    "\u202bשרה\u202c",  # an embedding: reorders no left-to-right letter
]
SHOWS_NOTHING = [
    "\u200b\u200b",
    "\ufeff",
    "\u200d \u2060",
    "\u0301",
    "\u3000\u00a0",
    "\u3164\u3164",  # Hangul fillers: letters that are blanks
    "\u2800",  # the blank braille pattern
]
UNREADABLE = ["Ewa\u202eNowak", "Ewa\u202dx", "Ewa\x1b[2J", "Ewa\x7f", "Ewa\x85Nowak"]


@pytest.mark.parametrize("text", READABLE)
def test_readable_text_passes(text: str) -> None:
    assert check_text("note", text, required=True) == []


@pytest.mark.parametrize("text", SHOWS_NOTHING)
def test_text_that_shows_nothing_is_not_there(text: str) -> None:
    assert check_text("note", text, required=True) == [FieldProblem("note", "required")]


@pytest.mark.parametrize("text", ["", "   ", None])
def test_optional_text_left_empty_is_fine(text: str | None) -> None:
    assert check_text("note", text, required=False) == []


def test_optional_text_of_invisible_characters_is_refused() -> None:
    assert check_text("note", "\u200b", required=False) == [FieldProblem("note", "shows nothing")]


@pytest.mark.parametrize("text", UNREADABLE)
def test_control_and_direction_override_characters_are_refused(text: str) -> None:
    (problem,) = check_text("note", text, required=True)
    assert problem.message.startswith("contains a control or text-direction character (U+")
    assert check_text("note", text, required=False) == [problem]


def test_the_refusal_names_the_invisible_character_and_where_it_is() -> None:
    assert check_text("note", "Ewa\u202eNowak", required=True) == [
        FieldProblem(
            "note", "contains a control or text-direction character (U+202E at character 4)"
        )
    ]


def test_the_length_limit_still_holds() -> None:
    assert check_text("name", "x" * 201, required=True, limit=200) == [
        FieldProblem("name", "at most 200 characters")
    ]
