"""A bound on the steps one API process runs at once on one journey.

A step waits its turn to be sent to the journey (`workflows.update_admission`: two at once per
journey) for up to 20 s, and holds meanwhile its request, its key's claim and its draft: 400
`nudgeJourney` sent at once on one journey made 400 drafts and claims, and 73 of them waited
the full 20 s only to hear `Unavailable`. So, as the desk refuses its 513th waiting arrival at
once (`workflows.arrival_rounds`), a step past `MAX_STEPS_IN_FLIGHT` on its journey is refused
before its key is claimed or anything is written, and told to come back.

A mutation that does more before its step (claims its key before the desk decides, a bill is
judged or a refund counted) counts its step before all of it (`step_on_journey`). Before, those
met the bound only at the step: refused, they had claimed their key, and `autoAssign` and
`placeVip` had the desk decide and log the client's turn, though the answer said nothing was
done; the retry with the key was answered by the desk's replay ("already decided"), not as a
first attempt.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from schema.errors import Unavailable, busy

if TYPE_CHECKING:
    from schema.context import Context

log = logging.getLogger(__name__)
Done = TypeVar("Done")

# A journey is one client's visit: the few staff serving it send a step each and wait for its
# answer, so even every role of a clinic acting on one journey at once is about ten steps. 32
# leaves room for a screen's retries and the 30 notes at once of the crowd test, and the 32
# ahead take about 2 s at the slowest crowd measured (400 notes on one journey: 16 a second),
# far from the 20 s a step may wait for its turn.
MAX_STEPS_IN_FLIGHT = 32
# About the time the steps ahead of a refused one take.
RETRY_AFTER_SECONDS = 2


@dataclass
class StepsInFlight:
    """Steps running on each journey (by clinic and journey id); a journey leaves once idle."""

    most: int = MAX_STEPS_IN_FLIGHT
    _running: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    @contextmanager
    def step(self, clinic_id: str, journey_id: str) -> Iterator[bool]:
        """Counts one step on the journey for the block's duration, however it ends (an error,
        a cancelled request), and gives True; False, counting nothing, when the journey is
        full. Keyed by the caller's clinic too: another clinic's caller naming the journey
        shares no count with its own staff, so cannot tell how busy it is."""
        journey = (clinic_id, journey_id)
        running = self._running.get(journey, 0)
        if running >= self.most:
            yield False
            return
        self._running[journey] = running + 1
        try:
            yield True
        finally:
            left = self._running[journey] - 1
            if left:
                self._running[journey] = left
            else:
                del self._running[journey]

    def running(self, clinic_id: str, journey_id: str) -> int:
        """Steps of this process running on the journey (for tests and metrics)."""
        return self._running.get((clinic_id, journey_id), 0)


# One per process: the bound is on what this process holds, whatever the number of apps.
STEPS_IN_FLIGHT = StepsInFlight()


async def step_on_journey(
    context: Context, journey_id: str, run: Callable[[], Awaitable[Done]]
) -> Done | Unavailable:
    """Runs `run` as the request's step on the journey (its raw id), counted from here on:
    `Unavailable` at once, `run` never started, when the journey has no room. A step counted
    already by the operation (its mutation counted it before claiming its key) is not counted
    again (`Context.steps_held`): the step's own count is then the mutation's."""
    claims = context.claims
    journey = (claims.clinic_id if claims else "", journey_id)
    if claims is None or journey in context.steps_held:
        return await run()
    with STEPS_IN_FLIGHT.step(*journey) as admitted:
        if admitted:
            context.steps_held.add(journey)
            try:
                return await run()
            finally:
                context.steps_held.discard(journey)
    log.warning("journey %s: a step refused, too many run on it", journey_id)
    return busy("too many steps are waiting on this journey", RETRY_AFTER_SECONDS)
