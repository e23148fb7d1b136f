"""Bounded exponential back-off with jitter, for code that waits on Temporal from outside a
workflow (the worker's start-up, the API's desk admission). Workflow code never imports it: it
draws random numbers and sleeps on the wall clock."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Delays that start at ``first`` seconds and double up to ``ceiling``.

    Each delay is drawn between half and all of the current step, so callers that failed
    together (several API processes refused by one desk) do not retry in step.
    """

    first: float = 0.5
    ceiling: float = 10.0
    factor: float = 2.0

    def delays(self) -> Iterator[float]:
        step = self.first
        while True:
            yield random.uniform(step / 2, step)
            step = min(step * self.factor, self.ceiling)
