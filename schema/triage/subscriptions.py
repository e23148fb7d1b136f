"""`triageBoardChanged`: the board now and after every desk change, timers and alerts included.

Pushed from the shared change feed (schema.feed), which reads the watched desks' board
versions once per tick for all subscribers, whichever process (worker or API) wrote the change.
Every push is the whole board as it is: a subscriber that fell behind (the feed's `RESYNC`)
is simply sent the board again, and versions it already has are not pushed twice.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from schema.context import Context
from schema.live_errors import nothing_to_watch
from schema.triage.desk import board_of
from schema.triage.types import TriageBoard


async def triage_board_changed(
    info: Info[Context, None], clinic_id: strawberry.ID
) -> AsyncGenerator[TriageBoard, None]:
    """Yields the board now and after each change; an error for another clinic."""
    claims = info.context.claims
    if claims is None or clinic_id != claims.clinic_id:
        raise nothing_to_watch("clinic")
    async with info.context.feed.desk(claims.clinic_id) as versions:
        board = await board_of(claims.clinic_id)
        seen = board.version
        yield board
        while True:
            version = await versions.get()
            if isinstance(version, int) and version <= seen:
                continue  # already pushed
            board = await board_of(claims.clinic_id)
            if board.version != seen:
                seen = board.version
                yield board
