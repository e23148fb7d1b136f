"""The time CPython's garbage collector stops the process for, read from its own callbacks."""

from __future__ import annotations

import gc
import time
from types import TracebackType
from typing import Any


class GcPauses:
    """While entered: every collection's duration, summed (`total_ns`) and the longest one."""

    def __init__(self) -> None:
        self.total_ns = 0
        self.longest_ns = 0
        self._started_ns = 0

    def _on_collection(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started_ns = time.perf_counter_ns()
            return
        pause = time.perf_counter_ns() - self._started_ns
        self.total_ns += pause
        self.longest_ns = max(self.longest_ns, pause)

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self._on_collection)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        gc.callbacks.remove(self._on_collection)
