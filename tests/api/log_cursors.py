"""The cursors of `myJourneyAlerts` and `supervisorBoard` as the servers under test seal them:
a test that needs a cursor no push handed out (one from beyond the log, a bent one) makes it
here, as the server would, and reads one back the same way."""

from __future__ import annotations

from domain.auth import SigningKeys
from domain.sealed_text import seal
from schema.supervision.log_cursor import CURSOR_PURPOSE, LogCursor, decode_cursor
from tests.api.conftest import SECRET_KEY

KEYS = SigningKeys(SECRET_KEY)


def sealed(kind: str, text: str) -> str:
    """A cursor of pushes of type `kind` spelling `text` (the ids, and a board's `|` place),
    sealed as the server seals its own, whether or not the text is one the server would write."""
    return seal(KEYS, CURSOR_PURPOSE, f"{kind}:{text}")


def opened(cursor: str, kind: str) -> LogCursor:
    """What a cursor the server handed out names."""
    place = decode_cursor(cursor, kind, KEYS, extra_at_most=10_000)
    assert place is not None, cursor
    return place
