"""The desk's hand-overs as its log keeps them, and whether the journey followed each.

When the desk hands a waiting client to another consultant (the 10-minute rule, a supervisor's
reassignment), its record activity tells the journey; a journey Temporal had no room for, or
that did not answer in time, keeps its consultant and the activity says so at ERROR only. The
desk's log still says the client was handed over. Reconciliation asks this module which
journeys were handed over and never came to name the consultant they were handed to.

The desk following a journey the supervisor moved (`overrides.follow_journey`) is no hand-over:
the journey named that consultant before the desk heard of it, and the desk sends it nothing. It
ends what the desk handed over before it: the desk and the journey agree from then on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.store.models import JourneyEvent
from domain.store.triage_models import TriageEntry
from domain.triage.entries import EntryKind
from domain.triage.ledger import DESK_ACTOR_ID

# Entries after which the client is served by someone else: the desk's record activity hands the
# journey over for each but the desk following her journey (`notices.hands_journey_over`),
# whether or not her ownership moves (a stand-in, a joint review leave it).
HANDING_OVER = (EntryKind.TIMED_OUT.value, EntryKind.REASSIGNED.value)
# Parameters one query sends (PostgreSQL takes at most 32,767 in a statement).
JOURNEYS_PER_QUERY = 1000
# The journey's own actions that name its consultant.
NAMING_THE_CONSULTANT = ("assign_consultant", "reassign")


@dataclass(frozen=True)
class HandOver:
    journey_id: str
    consultant_id: str
    at: datetime
    day: str
    seq: int


async def latest_hand_overs(journey_ids: list[str]) -> dict[str, HandOver]:
    """Each journey's latest hand-over in its desk's log, for those the desk handed over and did
    not follow the journey since (`_followed`)."""
    latest: dict[str, HandOver] = {}
    for start in range(0, len(journey_ids), JOURNEYS_PER_QUERY):
        chunk = journey_ids[start : start + JOURNEYS_PER_QUERY]
        rows = await (
            TriageEntry.filter(journey_id__in=chunk, kind__in=HANDING_OVER)
            .order_by("at", "seq")
            .only("journey_id", "consultant_id", "at", "day", "seq", "kind", "actor_id")
        )
        for row in rows:
            if row.journey_id and _followed(row):
                latest.pop(row.journey_id, None)
                continue
            if row.journey_id and row.consultant_id:
                latest[row.journey_id] = HandOver(
                    row.journey_id, row.consultant_id, row.at, row.day, row.seq
                )
    return latest


async def landed(hand_over: HandOver) -> bool:
    """Whether the journey came to name the hand-over's consultant at or after it: the desk's own
    reassignment, or a supervisor's. Only such an assignment supersedes the hand-over; one naming
    someone else does not (the desk's first pick, assigned late after the hand-over was refused
    at triage, leaves the client with the consultant the desk took them from).

    An event written before events kept the journey's snapshot cannot say whom it named: it
    counts as landing, so journeys from then are not reported on a guess."""
    rows = await JourneyEvent.filter(
        journey_id=hand_over.journey_id, action__in=NAMING_THE_CONSULTANT, at__gte=hand_over.at
    ).values_list("facts", flat=True)
    return any(facts is None or _names(facts, hand_over.consultant_id) for facts in rows)


def _followed(row: TriageEntry) -> bool:
    """Whether the entry is the desk following her journey (`notices.followed_journey`)."""
    return row.kind == EntryKind.REASSIGNED.value and row.actor_id == DESK_ACTOR_ID


def _names(snapshot: object, consultant_id: str) -> bool:
    return isinstance(snapshot, dict) and snapshot.get("consultant_id") == consultant_id
