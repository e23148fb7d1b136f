"""The monthly key-item ranking (seed 004): conversion rate first, then the average ticket."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class KeyItemStanding:
    consultant_id: str
    consultations: int
    deals: int
    paid_minor: int

    @property
    def conversion_rate(self) -> float:
        return self.deals / self.consultations if self.consultations else 0.0

    @property
    def average_ticket_minor(self) -> int:
        return self.paid_minor // self.deals if self.deals else 0


def rank(standings: list[KeyItemStanding]) -> list[KeyItemStanding]:
    """Best first: higher conversion, then higher average ticket, then more consultations."""
    return sorted(
        standings,
        key=lambda s: (
            -s.conversion_rate,
            -s.average_ticket_minor,
            -s.consultations,
            s.consultant_id,
        ),
    )


def standings(served: Mapping[str, str], paid_to_date: Mapping[str, int]) -> list[KeyItemStanding]:
    """The month ranked from the key-item journeys (journey -> the consultant who served it)
    and the money each has taken to date: a deal is a journey that has taken money."""
    consultations: dict[str, int] = defaultdict(int)
    deals: dict[str, int] = defaultdict(int)
    paid: dict[str, int] = defaultdict(int)
    for journey_id, consultant_id in served.items():
        consultations[consultant_id] += 1
        if paid_to_date.get(journey_id, 0) > 0:
            deals[consultant_id] += 1
            paid[consultant_id] += paid_to_date[journey_id]
    return rank([KeyItemStanding(c, consultations[c], deals[c], paid[c]) for c in consultations])
