"""What makes text from people readable: something visible, nothing that rewrites the display.

Control characters other than tab and line breaks draw nothing and can rewrite what a terminal or
a printed record shows; the direction overrides (U+202D, U+202E) make a name read as something
else on screen ("Ewa" stored, "awE" seen). Embeddings, isolates and the direction marks, which
some phones and chat apps wrap right-to-left names in, reorder nothing of a left-to-right name
and stay allowed.
"""

from __future__ import annotations

import re
import unicodedata

_UNREADABLE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202d\u202e]")
# What shows nothing on its own: whitespace, format characters (zero-width space and joiners,
# marks, the byte-order mark) and combining marks with nothing to sit on; and the letters that
# are blanks (the Hangul fillers, the blank braille pattern).
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u2800\u3164\uffa0")


def has_visible_text(value: str) -> bool:
    return any(
        unicodedata.category(c) not in _INVISIBLE_CATEGORIES and c not in _BLANK_LETTERS
        for c in value
    )


def unreadable_problem(value: str) -> str | None:
    """Why the text is unreadable, naming the character and where (staff cannot see it), or
    None."""
    found = _UNREADABLE.search(value)
    if found is None:
        return None
    return (
        f"contains a control or text-direction character (U+{ord(found.group()):04X} at "
        f"character {found.start() + 1})"
    )


def text_problem(value: str | None, *, required: bool, limit: int) -> str | None:
    """Why a piece of staff text cannot be kept, or None: it must show something when required
    (and when given at all, if it holds more than blanks), fit in `limit` characters and be
    readable. The one rule for every text staff write, from a client's note to a catalogue
    name."""
    if value is None or not has_visible_text(value):
        if required:
            return "required"
        return "shows nothing" if value and value.strip() else None
    if len(value) > limit:
        return f"at most {limit} characters"
    return unreadable_problem(value)
