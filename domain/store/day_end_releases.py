"""Clients the desk's day ended on, as its log keeps them, and whether the journey followed.

At the clinic's midnight the desk releases a client still waiting for the consultant it named (a
`RELEASED` entry marked `back_to_triage`), and its record activity sends the journey back to
triage (`RETURN_TO_TRIAGE`). A journey Temporal had no room for, or that did not answer within the
record's budget, keeps naming the consultant, said at ERROR only, while the desk has let the
client go: nobody would place them. Reconciliation reports such a release, and `autoAssign` sends
it again, under the same update id, before placing the client anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.journey.facts import JourneyFacts
from domain.journey.stages import Stage
from domain.store.models import JourneyEvent
from domain.store.triage_models import TriageEntry
from domain.triage.entries import EntryKind

# The log entries that give a journey's client to a consultant, or take them back: the latest
# says what the desk last did with the client.
ASSIGNMENT_KINDS = tuple(
    kind.value
    for kind in (
        EntryKind.ASSIGNED,
        EntryKind.VIP_PLACED,
        EntryKind.TIMED_OUT,
        EntryKind.REASSIGNED,
        EntryKind.ACCEPTED,
        EntryKind.RELEASED,
    )
)
# The journey's own actions after which a release no longer waits: it went back to triage, or
# was placed or handed on since (a decision of its own, never undone by a late release).
SETTLING = ("return_to_triage", "assign_consultant", "reassign")
# Parameters one query sends (PostgreSQL takes at most 32,767 in a statement).
JOURNEYS_PER_QUERY = 1000


@dataclass(frozen=True)
class Release:
    clinic_id: str
    journey_id: str
    consultant_id: str
    at: datetime
    day: str
    seq: int


def _release(row: TriageEntry) -> Release | None:
    back = row.kind == EntryKind.RELEASED.value and (row.details or {}).get("back_to_triage")
    if not back or not row.journey_id or not row.consultant_id:
        return None
    return Release(row.clinic_id, row.journey_id, row.consultant_id, row.at, row.day, row.seq)


async def day_end_release(clinic_id: str, journey_id: str) -> Release | None:
    """The release, when the desk's latest word on the journey's client is its day's end."""
    latest = await (
        TriageEntry.filter(clinic_id=clinic_id, journey_id=journey_id, kind__in=ASSIGNMENT_KINDS)
        .order_by("-seq")
        .first()
    )
    return None if latest is None else _release(latest)


async def day_end_releases(journey_ids: list[str]) -> dict[str, Release]:
    """The same for many journeys, those whose desk's latest word is its day's end."""
    latest: dict[str, TriageEntry] = {}
    for start in range(0, len(journey_ids), JOURNEYS_PER_QUERY):
        chunk = journey_ids[start : start + JOURNEYS_PER_QUERY]
        rows = await TriageEntry.filter(journey_id__in=chunk, kind__in=ASSIGNMENT_KINDS).order_by(
            "at", "seq"
        )
        for row in rows:
            latest[str(row.journey_id)] = row
    found = {journey_id: _release(row) for journey_id, row in latest.items()}
    return {journey_id: release for journey_id, release in found.items() if release}


def would_return(release: Release, facts: JourneyFacts) -> bool:
    """Whether the journey, as `facts` say, would still take the release: waiting for that very
    consultant, who has not recorded the consultation (`RETURN_TO_TRIAGE`'s row and check)."""
    waiting = facts.stage is Stage.CONSULTATION and not facts.consultation_recorded
    return waiting and facts.consultant_id == release.consultant_id


async def missed(release: Release, facts: JourneyFacts) -> bool:
    """A release the journey never heard of: it would still take it, and has neither gone back
    to triage nor been placed or handed on since."""
    if not would_return(release, facts):
        return False
    since = JourneyEvent.filter(
        journey_id=release.journey_id, action__in=SETTLING, at__gte=release.at
    )
    return not await since.exists()
