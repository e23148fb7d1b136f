"""The desk as read from the read model: the board and the day's log."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from domain.store.triage_models import TriageEntry
from schema.context import Context
from schema.input_check import check_list_page
from schema.triage.desk import board_of
from schema.triage.types import TriageBoard, TriageLogEntry

# A busy desk logs thousands of entries a day; the log is read a page at a time.
MAX_LOG_PAGE = 500


async def triage_board(info: Info[Context, None], clinic_id: strawberry.ID) -> TriageBoard | None:
    """Null for another clinic than the viewer's, or when not signed in."""
    claims = info.context.claims
    if claims is None or clinic_id != claims.clinic_id:
        return None
    return await board_of(claims.clinic_id)


async def triage_log(
    info: Info[Context, None],
    clinic_id: strawberry.ID,
    date: date,
    after_seq: int = 0,
    first: int = MAX_LOG_PAGE,
) -> list[TriageLogEntry] | None:
    """The day's desk entries after `after_seq`, oldest first, at most `first` of them."""
    check_list_page(first, MAX_LOG_PAGE, afterSeq=after_seq)
    claims = info.context.claims
    if claims is None or clinic_id != claims.clinic_id:
        return []
    rows = (
        await TriageEntry.filter(
            clinic_id=claims.clinic_id, day=date.isoformat(), seq__gt=after_seq
        )
        .order_by("seq")
        .limit(first)
    )
    return [TriageLogEntry.from_row(row) for row in rows]
