"""The desk as read from the read model: the board and the day's log."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from domain.store.triage_models import TriageEntry
from schema.context import Context
from schema.triage.desk import board_of
from schema.triage.types import TriageBoard, TriageLogEntry


async def triage_board(info: Info[Context, None], clinic_id: strawberry.ID) -> TriageBoard | None:
    """Null for another clinic than the viewer's, or when not signed in."""
    claims = info.context.claims
    if claims is None or clinic_id != claims.clinic_id:
        return None
    return await board_of(claims.clinic_id)


async def triage_log(
    info: Info[Context, None], clinic_id: strawberry.ID, date: date
) -> list[TriageLogEntry] | None:
    """Every desk entry of the clinic's day, oldest first; corrections point at what they amend."""
    claims = info.context.claims
    if claims is None or clinic_id != claims.clinic_id:
        return []
    rows = await TriageEntry.filter(clinic_id=claims.clinic_id, day=date.isoformat()).order_by(
        "seq"
    )
    return [TriageLogEntry.from_row(row) for row in rows]
