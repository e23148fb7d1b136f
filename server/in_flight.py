"""Counts of what each key (a client address, an account) holds at once in this process, each
within a limit: the open WebSockets of an address (`socket_limits`), the uploads of an account
(`uploads`). One count per key, dropped when it comes back to nothing, so the table holds only
the keys with something in flight."""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterator


class InFlightPerKey(ABC):
    """What each key holds at once, within `limit()`."""

    def __init__(self) -> None:
        self.open: Counter[str] = Counter()

    @abstractmethod
    def limit(self) -> int:
        """How many one key may hold at once: read at each admission, so a setting changed
        while the process runs applies to the next one."""

    @contextlib.contextmanager
    def held(self, key: str) -> Iterator[bool]:
        """Whether the key may hold one more; if so, it is counted until the block ends."""
        if self.open[key] >= self.limit():
            yield False
            return
        self.open[key] += 1
        try:
            yield True
        finally:
            self.open[key] -= 1
            if not self.open[key]:
                del self.open[key]
