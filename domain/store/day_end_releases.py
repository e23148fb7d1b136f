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

from tortoise.expressions import Q
from tortoise.functions import Max

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
    """The same for many journeys, those whose desk's latest word is its day's end: two reads
    per thousand journeys, each of at most one row a journey (the latest word, then the
    release it is), however long the desk's log of a journey grows."""
    found: dict[str, Release] = {}
    for start in range(0, len(journey_ids), JOURNEYS_PER_QUERY):
        chunk = journey_ids[start : start + JOURNEYS_PER_QUERY]
        latest = await (
            TriageEntry.filter(journey_id__in=chunk, kind__in=ASSIGNMENT_KINDS)
            .annotate(latest=Max("seq"))
            .group_by("journey_id")
            .values_list("journey_id", "latest")
        )
        if not latest:
            continue
        # The latest entry of each journey, by its number in the clinic's log (an entry of
        # another clinic's log under the same number is left out below).
        latest_seq = {str(journey_id): seq for journey_id, seq in latest}
        released = TriageEntry.filter(
            journey_id__in=list(latest_seq), seq__in=list(latest_seq.values())
        )
        for row in await released.filter(kind=EntryKind.RELEASED.value):
            release = _release(row) if latest_seq.get(str(row.journey_id)) == row.seq else None
            if release is not None:
                found[release.journey_id] = release
    return found


def waiting_for_consultant(facts: JourneyFacts) -> bool:
    """Whether the journey, as `facts` say, waits for the consultant it names to record the
    consultation: the only journeys a day's-end release could still send back to triage."""
    waiting = facts.stage is Stage.CONSULTATION and not facts.consultation_recorded
    return waiting and facts.consultant_id is not None


def would_return(release: Release, facts: JourneyFacts) -> bool:
    """Whether the journey, as `facts` say, would still take the release: waiting for that very
    consultant, who has not recorded the consultation (`RETURN_TO_TRIAGE`'s row and check)."""
    return waiting_for_consultant(facts) and facts.consultant_id == release.consultant_id


async def missed(release: Release, facts: JourneyFacts) -> bool:
    """A release the journey never heard of: it would still take it, and has neither gone back
    to triage nor been placed or handed on since."""
    if not would_return(release, facts):
        return False
    since = JourneyEvent.filter(
        journey_id=release.journey_id, action__in=SETTLING, at__gte=release.at
    )
    return not await since.exists()


async def missed_releases(waiting: dict[str, str]) -> set[str]:
    """Of journeys waiting for a consultant (journey id: the consultant it names, as
    `waiting_for_consultant` found them), those that missed their release (`missed`): at most
    three reads per thousand journeys, each of at most one row a journey."""
    releases = await day_end_releases(list(waiting))
    named = {
        journey_id: release
        for journey_id, release in releases.items()
        if waiting.get(journey_id) == release.consultant_id
    }
    settled: set[str] = set()
    ids = list(named)
    for start in range(0, len(ids), JOURNEYS_PER_QUERY // 2):
        chunk = ids[start : start + JOURNEYS_PER_QUERY // 2]
        since = [Q(journey_id=i, at__gte=named[i].at) for i in chunk]
        found = JourneyEvent.filter(Q(*since, join_type="OR"), action__in=SETTLING)
        settled.update(str(i) for i in await found.distinct().values_list("journey_id", flat=True))
    return set(named) - settled
