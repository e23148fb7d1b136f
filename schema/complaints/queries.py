"""`openComplaints` (the supervisors' list) and `Client.complaints` (her file's)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.store.complaints import Complaint as ComplaintRow
from domain.store.complaints import OpenPosition, open_before, open_page
from domain.store.models import Client as ClientRow
from domain.store.per_client import Window
from schema.audit.collector import note_access
from schema.clients.file_mutations import invalid
from schema.complaints.types import (
    Complaint,
    ComplaintConnection,
    ComplaintEdge,
    ComplaintsResult,
)
from schema.context import Context
from schema.errors import not_authorized
from schema.ids import decode_cursor, encode_cursor
from schema.pagination import MAX_PAGE, PageInfo, cursor_for, keyset_page, page_problems

DEFAULT_PAGE = 20
COMPLAINTS_READ = "client.complaints.read"
FIRST = f"How many per page, 1 to {MAX_PAGE}."
AFTER = "A cursor from the page before (`pageInfo.endCursor`); omitted: the first page."


async def _nodes(info: Info[Context, None], rows: list[ComplaintRow]) -> list[Complaint]:
    """The complaints with their entries, those of every list of the request in one query."""
    now = info.context.config.clock.now()
    loader = info.context.loaders.client_lists.complaint_entries
    entries = await loader.load_many([row.id for row in rows])
    return [Complaint.from_row(row, mine, now) for row, mine in zip(rows, entries, strict=True)]


def _open_cursor(group: int, row: ComplaintRow) -> str:
    return encode_cursor(row.first_answer_due_at, f"{group}:{row.id}")


def _open_position(after: str | None) -> OpenPosition | None:
    decoded = decode_cursor(after) if after else None
    if decoded is None:
        return None
    at, raw = decoded
    group, _, raw_id = raw.partition(":")
    return (int(group), at, raw_id) if group in ("0", "1") and raw_id else None


async def open_complaints(
    info: Info[Context, None],
    first: Annotated[int, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
    after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
) -> ComplaintsResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    problems = page_problems(first, after)
    position = _open_position(after)
    if not problems and after is not None and position is None:
        problems = [FieldProblem("after", "not a cursor of this list", Code.BAD_FORMAT)]
    if problems:
        return invalid(problems)
    page, more = await open_page(claims.clinic_id, first, position)
    nodes = await _nodes(info, [row for _, row in page])
    for _, row in page:
        note_access(str(row.client_id), COMPLAINTS_READ)
    edges = [
        ComplaintEdge(cursor=_open_cursor(group, row), node=node)
        for (group, row), node in zip(page, nodes, strict=True)
    ]
    return ComplaintConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=more,
            # Relay's forward pages: whether an open complaint comes at or before the cursor.
            has_previous_page=position is not None
            and await open_before(claims.clinic_id, position),
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


async def _page_of(
    info: Info[Context, None], client_id: str, first: int, after: str | None
) -> tuple[list[ComplaintRow], PageInfo]:
    """Her first page with every other client's of the request, in one query; a page after a
    cursor, which one client's list carries, on its own."""
    if after is not None:
        return await keyset_page(
            ComplaintRow.filter(client_id=client_id), "recorded_at", first, after
        )
    window = Window(skip=0, take=first + 1, newest_first=True)
    numbered = await info.context.loaders.client_lists.complaints.load((client_id, window))
    rows = [row for _, row in numbered]
    page = rows[:first]
    return page, PageInfo(
        has_next_page=len(rows) > first,
        has_previous_page=False,
        start_cursor=cursor_for(page[0], "recorded_at") if page else None,
        end_cursor=cursor_for(page[-1], "recorded_at") if page else None,
    )


@strawberry.type
class ClientComplaintFields:
    """The client's complaints (not a GraphQL type of its own: `Client` has this field)."""

    row: strawberry.Private[ClientRow]

    @strawberry.field(
        description="Her complaints (`recordComplaint`), newest first, each with the clinic's "
        "answers and its resolution."
    )
    async def complaints(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description=FIRST)] = DEFAULT_PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> ComplaintsResult | None:
        problems = page_problems(first, after)
        if problems:
            return invalid(problems)
        rows, page_info = await _page_of(info, self.row.id, first, after)
        note_access(self.row.id, COMPLAINTS_READ)
        nodes = await _nodes(info, rows)
        edges = [
            ComplaintEdge(cursor=cursor_for(row, "recorded_at"), node=node)
            for row, node in zip(rows, nodes, strict=True)
        ]
        return ComplaintConnection(edges=edges, page_info=page_info)
