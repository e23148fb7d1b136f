"""`myJourneyAlerts` that fell a mailbox behind reads the alerts it missed back from the log, the
newest 200 at most: the alerts it had said already take none of those places (found by a review:
the replay read the newest 200 alerts whatever had been said, so on PostgreSQL a consultant who
had heard 150 lost an alert that committed late to those she had heard, read again for nothing),
and are not read whole again (found by a review: the replay read 200 more than she had said and
left those out afterwards, each read whole and judged by its journey's snapshot for nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AsyncExitStack
from datetime import UTC, datetime

import pytest

from domain.journey.facts import JourneyFacts
from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.models import JourneyEvent
from schema.ids import encode_id
from schema.supervision import log_replay
from schema.supervision.log_replay import REPLAY_AT_MOST, AsOf
from tests.api.alert_support import event_row, facts_of, nudge_held_open
from tests.api.flow import JourneyDriver
from tests.api.live import HandFed, Pushes, reading
from tests.store.money_rows import journey

ALERTS = "subscription { myJourneyAlerts { summary journey { id } } }"
SAID_BEFORE = 150  # alerts she hears while she keeps up ...
ROUND = 50  # ... this many at a time: fewer than her mailbox holds

Said = tuple[str, str]  # the alert's journey, and its summary


def _nudges(
    journey_id: str, facts: JourneyFacts, at: datetime, seqs: Iterable[int]
) -> list[JourneyEvent]:
    """Nudges of the journey, each told apart by its summary."""
    rows = [event_row(journey_id, seq, facts, at, "nudge") for seq in seqs]
    for row in rows:
        row.summary = f"nudge {row.seq}"
    return rows


def _told(journey_id: str, rows: list[JourneyEvent]) -> list[Said]:
    return [(encode_id("Journey", journey_id), row.summary) for row in rows]


def _counting_judged(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """The events a replay reads whole and judges from now on (their journeys, and seqs)."""
    judged: list[tuple[str, int]] = []
    judge = log_replay._judged

    async def counted(events: list[JourneyEvent], clinic_id: str) -> list[AsOf]:
        judged.extend((event.journey_id, event.seq) for event in events)
        return await judge(events, clinic_id)

    monkeypatch.setattr(log_replay, "_judged", counted)
    return judged


async def _next(pushes: Pushes) -> Said:
    push = await pushes.next()
    return push["journey"]["id"], push["summary"]


@pytest.mark.parametrize("late", [False, True], ids=["in-order", "committed-late"])
async def test_alerts_said_before_a_fall_behind_leave_the_missed_ones_their_places(
    driver: JourneyDriver,
    hand_fed: HandFed,
    database: str,
    late: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if late and database.startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time: its ids become visible in order")
    # Given a consultant watching her alerts, owning two journeys
    now, clinic_id = datetime.now(UTC), hand_fed.clinic_id
    owner = driver.staff[Role.CONSULTANT].account_id
    hers_id, late_id = [await journey(clinic_id, now, consultant=owner) for _ in range(2)]
    hers = facts_of(Stage.CONSENT, hers_id, clinic_id, consultant_id=owner)
    late_nudge = facts_of(Stage.CONSENT, late_id, clinic_id, consultant_id=owner)
    alerts = hand_fed.api.subscription(ALERTS, driver.token(Role.CONSULTANT))
    judged = _counting_judged(monkeypatch)  # (no replay before the fall-behind's: no cursor)
    async with reading(alerts, "myJourneyAlerts") as pushes:
        await hand_fed.watching()
        said_before: list[JourneyEvent] = []
        async with AsyncExitStack() as held:
            if late:  # (a nudge written first, committed only after all she hears)
                await held.enter_async_context(nudge_held_open(late_id, late_nudge, now))
            # who hears of 150 alerts, keeping up
            while len(said_before) < SAID_BEFORE:
                first = len(said_before) + 1
                rows = _nudges(hers_id, hers, now, range(first, first + ROUND))
                await JourneyEvent.bulk_create(rows)
                await hand_fed.feed.poll_once()
                heard = [await _next(pushes) for _ in rows]
                assert heard == _told(hers_id, rows)
                said_before += rows
        # When as many more alerts as a replay says come at once (the late one among them):
        # more than her mailbox holds (64)
        first = len(said_before) + 1
        missed = _nudges(hers_id, hers, now, range(first, first + REPLAY_AT_MOST - int(late)))
        await JourneyEvent.bulk_create(missed)
        await hand_fed.feed.poll_once()
        said = [await _next(pushes)]
        # and, once she hears again, one more
        last = _nudges(hers_id, hers, now, [first + len(missed)])
        await JourneyEvent.bulk_create(last)
        await hand_fed.feed.poll_once()
        while said[-1] != _told(hers_id, last)[0]:
            said.append(await _next(pushes))
    # Then she hears of each she missed, oldest first, and of none twice
    told_late = [(encode_id("Journey", late_id), "a change")] if late else []
    assert said == [*told_late, *_told(hers_id, missed), *_told(hers_id, last)]
    # and the replay read whole none of those she had heard before, nor more than it could say
    read_again = {(row.journey_id, row.seq) for row in said_before} & set(judged)
    assert len(read_again) == 0
    assert len(judged) <= REPLAY_AT_MOST
