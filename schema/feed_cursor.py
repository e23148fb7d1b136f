"""Where the change feed is in one id-ordered table (journey events, task changes).

Each tick reads a window back from the newest id seen: on PostgreSQL, ids are handed out when a
row is inserted but become visible when its transaction commits, so a lower id can appear after
a higher one. Ids already delivered are remembered (a bounded set) and not repeated.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

REREAD_WINDOW = 200
REMEMBERED = 10_000


class IdCursor:
    def __init__(self) -> None:
        self.last_id: int | None = None
        self._delivered: OrderedDict[int, None] = OrderedDict()

    @property
    def started(self) -> bool:
        return self.last_id is not None

    def since(self) -> int:
        """Read rows with an id above this one."""
        return max(0, (self.last_id or 0) - REREAD_WINDOW)

    def start(self, latest: int, visible: Iterable[int]) -> None:
        """What is visible now counts as delivered: subscribers hear of what comes next."""
        self.last_id = latest
        self._remember(visible)

    def delivered(self, row_id: int) -> bool:
        return row_id in self._delivered

    def take_fresh(self, ids: Iterable[int]) -> set[int]:
        """The ids not delivered yet, now counted as delivered."""
        fresh = {row_id for row_id in ids if row_id not in self._delivered}
        if fresh:
            self._remember(sorted(fresh))
            self.last_id = max(self.last_id or 0, *fresh)
        return fresh

    def reset(self) -> None:
        self.last_id = None
        self._delivered.clear()

    def _remember(self, ids: Iterable[int]) -> None:
        for row_id in ids:
            self._delivered[row_id] = None
        while len(self._delivered) > REMEMBERED:
            self._delivered.popitem(last=False)
