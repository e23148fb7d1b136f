"""`supervisorBoard(announceStart: true)` says when `stuckJourneys` may be read: its first update,
STARTED with the counts as they stand, a cursor and no journey, goes out once the subscription's
starting point is fixed, and every later change of the board is pushed. graphql-transport-ws
acknowledges no subscription, so a screen told to subscribe and then read `stuckJourneys` could
read it before the server subscribed: a journey stuck in between was in neither the answer nor
any update (the counts came right with the next update, each carrying them whole; the list did
not). Each change is made in its window through the subscription's own steps, or once the client
has STARTED, not by timing; without the argument nothing changes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from domain.journey.stages import Stage
from domain.roles import Role
from domain.store.models import Journey
from schema.ids import encode_id
from schema.supervision import subscriptions as board
from schema.supervision.types import BoardChange
from tests.api.alert_support import event_row, facts_of
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, eventually
from tests.api.live import WAIT, HandFed, Pushes, reading, subscribers_of
from tests.api.log_cursors import opened
from tests.store.money_rows import journey

FIELDS = "change cursor journey { id } stats { stage active stuck }"
ANNOUNCED = f"""
subscription Board($clinicId: ID!, $after: ID) {{
  supervisorBoard(clinicId: $clinicId, after: $after, announceStart: true) {{ {FIELDS} }}
}}"""
UNANNOUNCED = {
    "without the argument": f"""
subscription Board($clinicId: ID!) {{ supervisorBoard(clinicId: $clinicId) {{ {FIELDS} }} }}""",
    "with it false": f"""
subscription Board($clinicId: ID!) {{
  supervisorBoard(clinicId: $clinicId, announceStart: false) {{ {FIELDS} }}
}}""",
}
STUCK_JOURNEYS = """
query Stuck($clinicId: ID!) {
  stuckJourneys(clinicId: $clinicId, first: 100) {
    ... on StuckJourneyConnection { edges { node { journey { id } } } }
  }
}"""
STATS = """
query Stats($clinicId: ID!) {
  journeyStats(clinicId: $clinicId) { ... on JourneyStats { stages { stage active stuck } } }
}"""
# Where the change falls while the subscription starts and the screen reads the board.
AS_THE_FEED_IS_JOINED = "as the subscription joins the feed"
ONCE_THE_FEED_IS_JOINED = "once it joined the feed, before the board is read"
ONCE_THE_BOARD_IS_READ = "once the board is read, before STARTED goes out"
ONCE_STARTED_IS_HEARD = "once the screen has STARTED, before it reads stuckJourneys"


async def _marked(journey_id: str, clinic_id: str, seq: int, *, stuck: bool) -> None:
    """The journey's event `seq` marks it stuck, or moves it on, with its row (one transaction,
    as the read model's writer does)."""
    now = datetime.now(UTC)
    since = now if stuck else None
    facts = facts_of(
        Stage.PAYMENT,
        journey_id,
        clinic_id,
        stuck_since=since,
        stuck_reason="late" if stuck else None,
    )
    async with in_transaction():
        await event_row(journey_id, seq, facts, now).save()
        await Journey.filter(id=journey_id).update(
            stuck=stuck, stuck_since=since, stuck_reason=facts.stuck_reason, sla_deadline=now
        )


async def _stuck_ids(api: Api, token: str, clinic_id: str) -> set[str]:
    data = await api.run(STUCK_JOURNEYS, token, clinicId=clinic_id)
    return {edge["node"]["journey"]["id"] for edge in data["stuckJourneys"]["edges"]}


async def _updates_until(updates: Pushes, marker_id: str) -> list[dict[str, Any]]:
    """Each update up to the marker journey's, which is left out."""
    said: list[dict[str, Any]] = []
    while True:
        update: dict[str, Any] = await updates.next()
        if update["journey"] == {"id": encode_id("Journey", marker_id)}:
            return said
        said.append(update)


def _said(update: dict[str, Any]) -> str:
    journey_field = update["journey"]
    return f"{update['change']} {journey_field['id'] if journey_field else '-'}"


async def test_started_carries_the_counts_and_a_cursor_to_resume_from(
    fed_by_hand: tuple[JourneyDriver, HandFed],
) -> None:
    # Given a supervisor of a clinic with a journey
    driver, fed = fed_by_hand
    clinic_id, token = fed.clinic_id, driver.token(Role.SUPERVISOR)
    journey_id = await journey(clinic_id, datetime.now(UTC))
    stats = await fed.api.run(STATS, token, clinicId=clinic_id)
    # When she subscribes asking to hear when it started, and leaves once she has it
    watch = fed.api.subscription(ANNOUNCED, token, clinicId=clinic_id)
    async with reading(watch, "supervisorBoard") as updates:
        first = await updates.next()
    await eventually(subscribers_of(fed.feed), lambda n: n == 0, timeout=WAIT, what="gone")
    await fed.feed.poll_once()
    # and while she is away the journey gets stuck, and she comes back with STARTED's cursor
    await _marked(journey_id, clinic_id, 1, stuck=True)
    back = fed.api.subscription(ANNOUNCED, token, clinicId=clinic_id, after=first["cursor"])
    async with reading(back, "supervisorBoard") as updates:
        again, missed = await updates.next(), await updates.next()
    # Then the first update is STARTED, the counts as they stood, no journey, and a cursor
    assert first["change"] == "STARTED" and first["journey"] is None
    assert first["stats"] == stats["journeyStats"]["stages"]
    # from which she hears, after STARTED (with the cursor she came back with), what she missed
    assert again["change"] == "STARTED"
    assert opened(again["cursor"], "BoardUpdate") == opened(first["cursor"], "BoardUpdate")
    assert _said(missed) == f"STUCK {encode_id('Journey', journey_id)}"


@pytest.mark.parametrize("document", UNANNOUNCED.values(), ids=UNANNOUNCED.keys())
async def test_a_board_not_asking_for_the_start_hears_changes_only(
    document: str, fed_by_hand: tuple[JourneyDriver, HandFed]
) -> None:
    # Given a supervisor of a clinic with a journey
    driver, fed = fed_by_hand
    journey_id = await journey(fed.clinic_id, datetime.now(UTC))
    # When she subscribes as before, and the journey gets stuck once the feed serves her
    watch = fed.api.subscription(document, driver.token(Role.SUPERVISOR), clinicId=fed.clinic_id)
    async with reading(watch, "supervisorBoard") as updates:
        await fed.watching()
        await _marked(journey_id, fed.clinic_id, 1, stuck=True)
        await fed.feed.poll_once()
        first = await updates.next()
    # Then the first thing she hears is the change: no STARTED
    assert _said(first) == f"STUCK {encode_id('Journey', journey_id)}"


@contextlib.asynccontextmanager
async def _steps_changing(
    fed: HandFed, window: str, change: Callable[[], Awaitable[None]], read: asyncio.Event
) -> AsyncIterator[None]:
    """The subscription's steps (joining the feed, reading the board, saying STARTED), with the
    change made in `window` among them. Should STARTED go out before the feed is joined, it is
    joined once the screen has read `stuckJourneys`."""
    clinic, labels_now, update = fed.feed.clinic, board._labels_now, board.BoardUpdate
    said: list[BoardChange] = []

    def noted(**fields: Any) -> Any:
        said.append(fields["change"])
        return update(**fields)

    @contextlib.asynccontextmanager
    async def joined_with_the_change(clinic_id: str, **asked: bool) -> AsyncIterator[Any]:
        if BoardChange.STARTED in said:
            await asyncio.wait_for(read.wait(), timeout=WAIT)
        if window == AS_THE_FEED_IS_JOINED:
            await change()
        async with clinic(clinic_id, **asked) as changes:
            if window == ONCE_THE_FEED_IS_JOINED:
                await change()
            yield changes

    async def read_with_the_change(clinic_id: str) -> Any:
        labels = await labels_now(clinic_id)
        if window == ONCE_THE_BOARD_IS_READ:
            await change()
        return labels

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fed.feed, "clinic", joined_with_the_change)
        patch.setattr(board, "_labels_now", read_with_the_change)
        patch.setattr(board, "BoardUpdate", noted)
        yield


@pytest.mark.parametrize(
    "window",
    [AS_THE_FEED_IS_JOINED, ONCE_THE_FEED_IS_JOINED, ONCE_THE_BOARD_IS_READ, ONCE_STARTED_IS_HEARD],
)
async def test_a_board_read_once_started_misses_no_stuck_journey(
    window: str, fed_by_hand: tuple[JourneyDriver, HandFed]
) -> None:
    # Given a supervisor of a clinic with a journey stuck and one on time
    driver, fed = fed_by_hand
    now, clinic_id, token = datetime.now(UTC), fed.clinic_id, driver.token(Role.SUPERVISOR)
    unstuck_id, stuck_id = await journey(clinic_id, now), await journey(clinic_id, now)
    marker_id = await journey(clinic_id, now)
    await _marked(unstuck_id, clinic_id, 1, stuck=True)
    changing, changed, read = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def change() -> None:
        """The stuck journey moves on, and the one on time gets stuck."""
        if not changing.is_set():
            changing.set()
            await _marked(unstuck_id, clinic_id, 2, stuck=False)
            await _marked(stuck_id, clinic_id, 1, stuck=True)
            changed.set()

    # When she subscribes asking to hear when it started, both change in the window, and her
    # screen reads `stuckJourneys` as soon as it hears STARTED
    async with _steps_changing(fed, window, change, read):
        watch = fed.api.subscription(ANNOUNCED, token, clinicId=clinic_id)
        async with reading(watch, "supervisorBoard") as updates:
            assert (await updates.next())["change"] == "STARTED"
            if window == ONCE_STARTED_IS_HEARD:
                await change()
            shown = await _stuck_ids(fed.api, token, clinic_id)
            read.set()
            await asyncio.wait_for(changed.wait(), timeout=WAIT)
            await fed.watching()  # (the feed serves her, and has read what came before)
            # (and then a third journey gets stuck, to know all that was said)
            await _marked(marker_id, clinic_id, 1, stuck=True)
            await fed.feed.poll_once()
            # and merges each update into what it read, by journey
            for update in await _updates_until(updates, marker_id):
                if update["change"] == "STUCK":
                    shown.add(update["journey"]["id"])
                elif update["change"] == "UNSTUCK":
                    shown.discard(update["journey"]["id"])
    # Then her screen shows the journey that got stuck and not the one that moved on, as it is
    stuck, marker = encode_id("Journey", stuck_id), encode_id("Journey", marker_id)
    assert await _stuck_ids(fed.api, token, clinic_id) == {stuck, marker}
    assert shown == {stuck}
