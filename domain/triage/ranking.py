"""The monthly key-item ranking (seed 004): conversion rate first, then the average ticket."""

from __future__ import annotations

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
