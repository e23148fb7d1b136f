"""`triageBoardChanged`: the board after every desk change, timers and alerts included.

Each subscriber polls its clinic's board version (one indexed read per tick): the desk is
watched by a handful of supervisors and front desks, and a poll works the same on SQLite and
PostgreSQL, whichever process (worker or API) wrote the change.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from domain.store.triage_models import TriageBoard as BoardRow
from schema.context import Context
from schema.triage.desk import board_of
from schema.triage.types import TriageBoard

POLL_SECONDS = 0.2


async def triage_board_changed(
    info: Info[Context, None], clinic_id: strawberry.ID
) -> AsyncGenerator[TriageBoard | None, None]:
    """Yields the board now and after each change; null once for another clinic."""
    claims = info.context.claims
    if claims is None or clinic_id != claims.clinic_id:
        yield None
        return
    seen: int | None = None
    while True:
        row = await BoardRow.filter(clinic_id=claims.clinic_id).only("clinic_id", "version").first()
        current = row.version if row else 0
        if current != seen:
            seen = current
            yield await board_of(claims.clinic_id)
        await asyncio.sleep(POLL_SECONDS)
