"""Free text from staff: required text must show something; no text may carry characters that
change what a screen or a printout shows (found by a hostile pass: a client registered with a
name of zero-width spaces, or with a right-to-left override that shows "Ewa" as "awE")."""

from __future__ import annotations

import pytest

from domain.errors import FieldProblem, FieldProblemCode
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
    "Małgorzata Wójcik-Źdźbło",
    "Ярослава Щербакова",
    "张伟 先生",
    "👩\u200d⚕️ Dr Nowak 👨\u200d👩\u200d👧",  # emoji joined with a zero-width joiner
    "🇵🇱 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland's flag: tags
    "\u2067שרה\u2069\n\u2067שרה\u2069",  # each line's isolate ended on it
    "\u2067\u202bשרה\u202c\u2069",  # nested, each ended in turn
    "Zo\u00adë\ufeff",  # a soft hyphen, a byte-order mark
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
# Found by a hostile pass: each was kept, and shown as the text around it alone.
HIDDEN = "contains an invisible character no text may hold"
UNENDED = "contains a text-direction character not ended on its line"
REFUSED_SINCE = [
    # tag characters spelling "ignore": read by a program copying the note, never by staff
    (
        "Ewa\U000e0069\U000e0067\U000e006e\U000e006f\U000e0072\U000e0065",
        f"{HIDDEN} (U+E0069 at character 4)",
    ),
    ("\U000e0001Ewa", f"{HIDDEN} (U+E0001 at character 1)"),  # the language tag
    ("Ewa \U000e0020", f"{HIDDEN} (U+E0020 at character 5)"),  # a lone tag space
    # a flag's shape holding more than a subdivision's code
    ("🏴" + "\U000e0061" * 9 + "\U000e007f", f"{HIDDEN} (U+E0061 at character 2)"),
    ("Ewa\ufff9Nowak\ufffahidden\ufffb", f"{HIDDEN} (U+FFF9 at character 4)"),  # an annotation
    ("Ewa\ufff0", f"{HIDDEN} (U+FFF0 at character 4)"),
    ("Ewa\u206e12", f"{HIDDEN} (U+206E at character 4)"),  # deprecated: national digit shapes
    ("Ewa\uffff", f"{HIDDEN} (U+FFFF at character 4)"),  # noncharacters
    ("Ewa\ufdd0", f"{HIDDEN} (U+FDD0 at character 4)"),
    ("Ewa\U0010fffe", f"{HIDDEN} (U+10FFFE at character 4)"),
    (
        "Ewa\u2028Nowak",
        "contains a line or paragraph separator (U+2028 at character 4): send a line break",
    ),
    (
        "Ewa\u2029",
        "contains a line or paragraph separator (U+2029 at character 4): send a line break",
    ),
    # left open, an embedding or isolate reorders what a list prints after the name
    ("\u202bAnna Nowak", f"{UNENDED} (U+202B at character 1)"),
    ("Anna \u2067Nowak", f"{UNENDED} (U+2067 at character 6)"),
    ("\u2068Anna\nNowak\u2069", f"{UNENDED} (U+2068 at character 1)"),
    ("Anna\u2069", f"{UNENDED} (U+2069 at character 5)"),  # an end with nothing to end
    ("\u2067Anna\u202c\u2069", f"{UNENDED} (U+202C at character 6)"),  # not its kind
    ("\u202a\u2066Anna\u202c\u2069", f"{UNENDED} (U+202C at character 7)"),  # crossed
]


@pytest.mark.parametrize("text", READABLE)
def test_readable_text_passes(text: str) -> None:
    assert check_text("note", text, required=True) == []


@pytest.mark.parametrize("text", SHOWS_NOTHING)
def test_text_that_shows_nothing_is_not_there(text: str) -> None:
    assert check_text("note", text, required=True) == [
        FieldProblem("note", "required", FieldProblemCode.REQUIRED)
    ]


@pytest.mark.parametrize("text", ["", "   ", None])
def test_optional_text_left_empty_is_fine(text: str | None) -> None:
    assert check_text("note", text, required=False) == []


def test_optional_text_of_invisible_characters_is_refused() -> None:
    assert check_text("note", "\u200b", required=False) == [
        FieldProblem("note", "shows nothing", FieldProblemCode.BAD_FORMAT)
    ]


@pytest.mark.parametrize("text", UNREADABLE)
def test_control_and_direction_override_characters_are_refused(text: str) -> None:
    (problem,) = check_text("note", text, required=True)
    assert problem.message.startswith("contains a control or text-direction character (U+")
    assert problem.code is FieldProblemCode.BAD_FORMAT
    assert check_text("note", text, required=False) == [problem]


def test_the_refusal_names_the_invisible_character_and_where_it_is() -> None:
    assert check_text("note", "Ewa\u202eNowak", required=True) == [
        FieldProblem(
            "note",
            "contains a control or text-direction character (U+202E at character 4)",
            FieldProblemCode.BAD_FORMAT,
        )
    ]


@pytest.mark.parametrize(("text", "message"), REFUSED_SINCE)
def test_hidden_characters_and_unended_directions_are_refused(text: str, message: str) -> None:
    refused = [FieldProblem("note", message, FieldProblemCode.BAD_FORMAT)]
    assert check_text("note", text, required=True) == refused
    assert check_text("note", text, required=False) == refused


def test_the_length_limit_still_holds() -> None:
    assert check_text("name", "x" * 201, required=True, limit=200) == [
        FieldProblem("name", "at most 200 characters", FieldProblemCode.TOO_LONG)
    ]
