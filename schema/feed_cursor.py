"""Where the change feed is in one id-ordered table (journey events, task changes).

On PostgreSQL an id is handed out when its row is inserted, but the row becomes visible only
when its transaction commits: a lower id can appear after higher ones, however many came
between. So the cursor keeps, beside the highest id it delivered, the ids below it that it has
not seen (its gaps), and each read asks for both: a gap that fills is delivered then.

Some ids are never used (an insert rolled back, an `ON CONFLICT DO NOTHING` that drew an id
and kept no row), so a gap is given up after `GAP_SECONDS`, far longer than any read-model
transaction holds its row, and at most `MAX_GAPS` are kept, the oldest given up first. On
SQLite (one writer at a time) ids become visible in order, and its gaps (ids an insert drew and
did not keep) simply expire. The feed reads the gaps by primary key, apart from the rows past
the cursor: one query with both made SQLite scan the whole table.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

# When a table's reading starts, the ids this far below the newest visible one that are not
# visible yet count as gaps: transactions in flight as the first subscriber came.
START_WINDOW = 200
GAP_SECONDS = 120.0
MAX_GAPS = 2_000


class IdCursor:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.last_id: int | None = None
        self._gaps: OrderedDict[int, float] = OrderedDict()  # id -> when it was first missed
        self._clock = clock

    @property
    def started(self) -> bool:
        return self.last_id is not None

    def after(self) -> int:
        """Read the rows with an id above this one ..."""
        return self.last_id or 0

    def gaps(self) -> list[int]:
        """... and those with one of these ids (the gaps still awaited, oldest given up)."""
        given_up_before = self._clock() - GAP_SECONDS
        while self._gaps and next(iter(self._gaps.values())) < given_up_before:
            self._gaps.popitem(last=False)
        return list(self._gaps)

    def start(self, latest: int, visible: Iterable[int]) -> None:
        """What is visible now counts as delivered: subscribers hear of what comes next,
        including the rows of transactions still in flight below `latest`."""
        self.last_id = latest
        self._gaps.clear()
        self._note_gaps(latest - START_WINDOW + 1, latest + 1, set(visible))

    def pending(self, row_id: int) -> bool:
        """Whether the row is news: above the newest delivered, or one of the gaps."""
        return row_id > self.after() or row_id in self._gaps

    def take_fresh(self, ids: Iterable[int]) -> set[int]:
        """The ids not delivered yet, now counted as delivered. `ids` must be all the rows a
        read found up to the highest of them: the ids it skipped become gaps."""
        fresh = {row_id for row_id in ids if self.pending(row_id)}
        for row_id in fresh:
            self._gaps.pop(row_id, None)
        newest = max(fresh, default=0)
        if newest > self.after():
            self._note_gaps(self.after() + 1, newest, fresh)
            self.last_id = newest
        return fresh

    def reset(self) -> None:
        self.last_id = None
        self._gaps.clear()

    def _note_gaps(self, first: int, end: int, seen: set[int]) -> None:
        now = self._clock()
        for row_id in range(max(1, first, end - MAX_GAPS), end):
            if row_id not in seen:
                self._gaps[row_id] = now
        given_up = max(0, len(self._gaps) - MAX_GAPS)
        for _ in range(given_up):
            self._gaps.popitem(last=False)
        if given_up:  # a transaction holding that many later ids would lose its rows' pushes
            log.info("change feed: %d unseen ids given up for newer ones", given_up)
