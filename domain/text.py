"""What makes text from people readable: something visible, nothing that rewrites the display.

Control characters other than tab and line breaks draw nothing and can rewrite what a terminal or
a printed record shows; the direction overrides (U+202D, U+202E) make a name read as something
else on screen ("Ewa" stored, "awE" seen). Embeddings, isolates and the direction marks, which
some phones and chat apps wrap right-to-left names in, reorder nothing of a left-to-right name
and stay allowed, each embedding or isolate ended on its line (U+202C, U+2069): one left open
reorders whatever a list, a printout or an export puts after the text on that line.

Nor may text carry what shows nothing yet holds something: tag characters (U+E0000 to U+E007F,
which spell hidden ASCII that a reader never sees but a program copying the text does), save
in the flag of a subdivision (England's, Scotland's) they are made for; the interlinear
annotation characters (U+FFF9 to U+FFFB, which hide the annotated text), the unassigned
specials before them and the deprecated format characters (U+206A to U+206F); the
noncharacters (U+FDD0 to U+FDEF and the last two of each plane), which no text interchanged
holds; and the line and paragraph separators (U+2028, U+2029), a line break to some readers
and a space to others.
"""

from __future__ import annotations

import re
import unicodedata

from domain.errors import FieldProblem, FieldProblemCode

_UNREADABLE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202d\u202e]")
_NONCHARACTERS = "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)
_HIDDEN = re.compile(
    f"[\u206a-\u206f\ufff0-\ufffb\U000e0000-\U000e007f\ufdd0-\ufdef{_NONCHARACTERS}]"
)
_SEPARATORS = re.compile("[\u2028\u2029]")
# A subdivision's flag: the black flag, the subdivision's code in tag letters and digits
# ("gbsct"), the cancel tag. Its tags are all the text may hold.
_SUBDIVISION_FLAG = re.compile(
    "\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{3,7}\U000e007f"
)
# Each embedding (U+202A, U+202B) and isolate (U+2066 to U+2068), and what ends it.
_OPENS = dict.fromkeys("\u202a\u202b", "\u202c") | dict.fromkeys("\u2066\u2067\u2068", "\u2069")
_CLOSES = frozenset("\u202c\u2069")
_LINE_ENDS = frozenset("\n\r")
# What shows nothing on its own: whitespace, format characters (zero-width space and joiners,
# marks, the byte-order mark) and combining marks with nothing to sit on; and the letters that
# are blanks (the Hangul fillers, the blank braille pattern).
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u2800\u3164\uffa0")


def comparable(text: str) -> str:
    """One form for text compared rather than shown (a substance, a name): case, runs of
    whitespace, composed or decomposed letters, compatibility forms (full-width letters) and
    invisible format characters (a soft hyphen or a zero-width space pasted from elsewhere) do
    not matter."""
    folded = unicodedata.normalize("NFKC", text)
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFKC", " ".join(visible.split()).casefold())


def has_visible_text(value: str) -> bool:
    return any(
        unicodedata.category(c) not in _INVISIBLE_CATEGORIES and c not in _BLANK_LETTERS
        for c in value
    )


def shown_or_none(value: str | None) -> str | None:
    """Optional staff text as kept: None when it shows nothing (blanks, a line break), which
    `text_problem` lets through as no text. Kept as sent, it counted as given where only its
    presence is asked (a partner's bank details, a clinic's warranty terms)."""
    return value if value is not None and has_visible_text(value) else None


def _at(what: str, value: str, index: int, advice: str = "") -> str:
    return f"contains {what} (U+{ord(value[index]):04X} at character {index + 1}){advice}"


def _unended_direction(value: str) -> int | None:
    """Where a direction embedding or isolate is not ended on its line, or an end has nothing
    to end: the index of the first such character, or None. They nest: each end closes the
    last one opened, which must be of its kind."""
    opened: list[int] = []
    for index, char in enumerate(value):
        if char in _OPENS:
            opened.append(index)
        elif char in _CLOSES:
            if not opened or _OPENS[value[opened[-1]]] != char:
                return index
            opened.pop()
        elif char in _LINE_ENDS and opened:
            return opened[0]
    return opened[0] if opened else None


def unreadable_problem(value: str) -> str | None:
    """Why the text is unreadable, naming the character and where (staff cannot see it), or
    None. A field problem of code BAD_FORMAT."""
    found = _UNREADABLE.search(value)
    if found is not None:
        return _at("a control or text-direction character", value, found.start())
    flags_masked = _SUBDIVISION_FLAG.sub(lambda flag: "\U0001f3f4" * len(flag.group()), value)
    found = _HIDDEN.search(flags_masked)
    if found is not None:
        return _at("an invisible character no text may hold", value, found.start())
    found = _SEPARATORS.search(value)
    if found is not None:
        return _at("a line or paragraph separator", value, found.start(), ": send a line break")
    unended = _unended_direction(value)
    if unended is not None:
        return _at("a text-direction character not ended on its line", value, unended)
    return None


def text_problem(
    field: str, value: str | None, *, required: bool, limit: int
) -> FieldProblem | None:
    """Why a piece of staff text cannot be kept, or None: it must show something when required
    (REQUIRED; and when given at all, if it holds more than blanks: BAD_FORMAT), fit in `limit`
    characters (TOO_LONG) and be readable (BAD_FORMAT). The one rule for every text staff
    write, from a client's note to a catalogue name."""
    if value is None or not has_visible_text(value):
        if required:
            return FieldProblem(field, "required", FieldProblemCode.REQUIRED)
        if value and value.strip():
            return FieldProblem(field, "shows nothing", FieldProblemCode.BAD_FORMAT)
        return None
    if len(value) > limit:
        return FieldProblem(field, f"at most {limit} characters", FieldProblemCode.TOO_LONG)
    unreadable = unreadable_problem(value)
    return FieldProblem(field, unreadable, FieldProblemCode.BAD_FORMAT) if unreadable else None


def one_line(name: str) -> str:
    """A name as every list and printout shows it: on one line, its line breaks, tabs and runs of
    blanks one space each, none at its ends. A name on two lines reads, in a list of names, as
    two rows: another person's name under the first. Said of every person's, clinic's and
    partner salon's name kept, as registration and correction say it of a client's."""
    return " ".join(name.split())
