"""What makes text from people readable: something visible, nothing that rewrites the display.

Control characters other than tab and line breaks draw nothing and can rewrite what a terminal or
a printed record shows; explicit direction embeddings, overrides and isolates make a name read as
something else on screen ("Ewa" stored, "awE" seen). Right-to-left text needs none of them: the
Unicode bidirectional algorithm orders it, and the marks U+200E and U+200F stay allowed.
"""

from __future__ import annotations

import re
import unicodedata

_UNREADABLE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What shows nothing on its own: whitespace, format characters (zero-width space and joiners,
# marks, the byte-order mark) and combining marks with nothing to sit on.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})
UNREADABLE_PROBLEM = "contains a control or text-direction character"


def has_visible_text(value: str) -> bool:
    return any(unicodedata.category(c) not in _INVISIBLE_CATEGORIES for c in value)


def has_unreadable_characters(value: str) -> bool:
    return _UNREADABLE.search(value) is not None
