"""The cursor of a push read from the journey log (`myJourneyAlerts`, `supervisorBoard`): where
in the log its subscriber was when the push was said.

It names the newest event the subscriber had passed and, since an event at or below that one
may still be unsaid, those ids too: the rest of a replay being said one by one, changes waiting
in the subscriber's mailbox, and the ids the feed still waits for (on PostgreSQL an event can
commit after later ones). A client back with the cursor hears what came after the newest and
among those ids, so a connection lost part-way through neither loses a push nor repeats one.
Each subscription's cursors carry its push type's name, so one is never taken for the other's.
A board counting complaints adds its place in the complaint register after a `|` (`extra`, read
by `schema.supervision.complaint_watch`); a cursor without one reads as before.

The ids are the installation's, every clinic's events counted: a cursor handed out in the clear
told a clinic's supervisor how much the other clinics wrote. So the text is sealed under the
server's key (`domain.sealed_text`): opaque to the client, refused when changed, and each push's
cursor differs from the last even where the place is the same. A cursor of the earlier release,
the text in plain base64, is still read (a client may hold one across the deploy); none is issued.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass

from domain.auth import SigningKeys
from domain.sealed_text import seal, sealed_length, unseal
from schema.ids import INTEGER_MAX, whole_number

# Ids below the newest a cursor keeps at most (the highest of them): past that, the oldest are
# left unsaid, as a replay leaves its oldest past REPLAY_AT_MOST, and the cursor says so.
MOST_UNSAID = 64
# Named among the unsaid ids by a cursor that had to leave some out (no event has id 0): a
# subscriber that must hear every change (the board) is told to read again when back with it.
LEFT_OUT = 0
_LONGEST_ID = len(str(INTEGER_MAX)) + 1
# What the cursors are sealed for: no other use of the server's key opens them.
CURSOR_PURPOSE = b"journey log cursor"


@dataclass(frozen=True)
class LogCursor:
    kind: str  # the type of the push that carried it: `JourneyAlert`, `BoardUpdate`
    newest: int  # the newest event passed: every push up to it was judged, but for ...
    unsaid: tuple[int, ...] = ()  # ... these, at or below it, still to come
    extra: str | None = None  # the subscriber's place in another log, written and read by it

    @property
    def left_out(self) -> bool:
        """Whether the cursor had more ids to name than it holds, and named only the highest."""
        return LEFT_OUT in self.unsaid

    def encode(self, keys: SigningKeys) -> str:
        text = ".".join(str(event_id) for event_id in (self.newest, *self.unsaid))
        if self.extra is not None:
            text = f"{text}|{self.extra}"
        return seal(keys, CURSOR_PURPOSE, f"{self.kind}:{text}")


def cursor_at(kind: str, newest: int, unsaid: Iterable[int], extra: str | None = None) -> LogCursor:
    """The cursor of a subscriber that passed `newest` and has yet to judge `unsaid` (those
    above `newest` need no naming: a client back with the cursor hears all that is)."""
    kept = sorted({event_id for event_id in unsaid if LEFT_OUT < event_id <= newest})
    if len(kept) > MOST_UNSAID:
        kept = [LEFT_OUT, *kept[-(MOST_UNSAID - 1) :]]
    return LogCursor(kind, newest, tuple(kept), extra)


def decode_cursor(
    cursor: str, kind: str, keys: SigningKeys, extra_at_most: int = 0
) -> LogCursor | None:
    """The cursor a push of type `kind` carried, sealed under the current or a previous key
    (or one of an earlier release in plain base64, a bare event id, too), with its `extra` of
    at most `extra_at_most` characters; None for anything else."""
    longest = len(kind) + 1 + (MOST_UNSAID + 1) * _LONGEST_ID + 1 + extra_at_most
    if len(cursor) > max(sealed_length(longest), longest * 2):
        return None
    text = unseal(keys, CURSOR_PURPOSE, cursor)
    if text is None:
        text = _plain(cursor)
    if text is None:
        return None
    type_name, _, ids = text.partition(":")
    ids, bar, extra = ids.partition("|")
    if bar and not 0 < len(extra) <= extra_at_most:
        return None
    parts = ids.split(".")
    if type_name != kind or len(parts) > MOST_UNSAID + 1:
        return None
    # (an event id is a 32-bit integer on PostgreSQL: a larger one would fail the query)
    numbers = [whole_number(part, INTEGER_MAX) for part in parts]
    if any(number is None for number in numbers):
        return None
    newest, *unsaid = (int(number or 0) for number in numbers)
    if any(event_id > newest for event_id in unsaid):
        return None
    return LogCursor(kind, newest, tuple(unsaid), extra if bar else None)


def _plain(cursor: str) -> str | None:
    """The text of a cursor of the earlier release (plain base64); None for anything else."""
    try:
        return base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
