"""A bound on the steps one API process runs at once on one journey.

A step waits its turn to be sent to the journey (`workflows.update_admission`: two at once per
journey) for up to 20 s, and holds meanwhile its request, its key's claim and its draft: 400
`nudgeJourney` sent at once on one journey made 400 drafts and claims, and 73 of them waited
the full 20 s only to hear `Unavailable`. So, as the desk refuses its 513th waiting arrival at
once (`workflows.arrival_rounds`), a step past `MAX_STEPS_IN_FLIGHT` on its journey is refused
before its key is claimed or anything is written, and told to come back (a mutation that
claims its key before the step, as those asking the desk first do, leaves it claimed and
unsettled: a retry with it goes on as the first attempt would).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

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
