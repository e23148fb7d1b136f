"""What an ended journey's history shows that its events do not hold: the consents withdrawn
after it ended (`withdrawal_after_journey`).

The journey's workflow has finished and its log is closed (append-only), so these are read from
their own table, never written among its events. They follow its last event, numbered on from
`lastEventSeq` in the order they were withdrawn (at most one a kind), and are read in the same
pages as the events: a page of journeys reads them all in one batch, and only when the page
reaches past the last event of an ended journey.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from domain.journey.stages import Stage
from domain.store.consents import ConsentWithdrawalAfterJourney as WithdrawalRow
from domain.store.models import Journey as JourneyRow
from schema.loaders import Loaders


@dataclass(frozen=True)
class EntryAfterEnd:
    seq: int  # its place in the history: after the journey's last event
    withdrawal: WithdrawalRow
    zone: ZoneInfo  # the clinic's, for the local time


async def entries_after_end(
    loaders: Loaders, journey: JourneyRow, after_seq: int, first: int
) -> list[EntryAfterEnd]:
    """The entries after the journey's last event that fall on the page of `first` entries
    after `after_seq`, oldest first."""
    last = journey.last_event_seq
    if not Stage(journey.stage).is_terminal or after_seq + first <= last:
        return []
    withdrawals = await loaders.withdrawals_after_journey.load(journey.id)
    on_page = [
        (seq, withdrawal)
        for seq, withdrawal in enumerate(withdrawals, start=last + 1)
        if after_seq < seq <= after_seq + first
    ]
    if not on_page:
        return []
    zone = await loaders.zone.load(journey.clinic_id)
    return [EntryAfterEnd(seq, withdrawal, zone) for seq, withdrawal in on_page]
