"""The board's per-stage counters and stays, as the projection keeps them and reconcile repairs
them: always what a GROUP BY over the journey rows says."""

from __future__ import annotations

import asyncio
import dataclasses
import statistics
import sys
import uuid
from collections import defaultdict
from datetime import date, timedelta, timezone
from pathlib import Path

from tortoise.transactions import in_transaction

from domain.journey.facts import JourneyChange
from domain.journey.stages import ACTIVE_STAGES, Stage
from domain.store.models import Client, Clinic, Journey, JourneyStageCount, StageStay
from domain.store.projection import apply_change
from domain.store.stage_counts import CounterDrift, add_to_counters, check_counters, kept
from domain.store.stats import stage_counts
from tests.store.stage_plan import START, client_id, plan

ROOT = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT = 120


async def _clinic() -> str:
    clinic_id = f"stages-{uuid.uuid4().hex[:8]}"
    await Clinic.create(id=clinic_id, name="Stage counter clinic")
    await Client.create(
        id=client_id(clinic_id),
        clinic_id=clinic_id,
        full_name="Client",
        birth_date=date(1990, 1, 1),
        phone="600000000",
        data_consent_at=START,
        registered_by="desk-1",
    )
    return clinic_id


async def _grouped(clinic_id: str) -> dict[tuple[str, str], tuple[int, int]]:
    """The oracle: the journey rows themselves, counted in Python."""
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for row in await Journey.filter(clinic_id=clinic_id, active=True):
        active, stuck = found.get((clinic_id, row.stage), (0, 0))
        found[(clinic_id, row.stage)] = (active + 1, stuck + int(row.stuck))
    return found


async def test_counters_equal_the_rows_after_moves_stuck_flags_ends_and_duplicates() -> None:
    # Given a clinic whose journeys move, turn stuck and back, and some end
    clinic_id = await _clinic()
    changes = plan(clinic_id)
    assert {c.event.to_stage for c in changes} & {Stage.COMPLETED, Stage.CANCELLED}
    assert any(c.facts.stuck_since for c in changes)

    # When every change is projected, each one twice, and a few late (after newer ones)
    late = changes[2::5]
    for change in changes:
        if change not in late:
            assert await apply_change(change)
    for change in late:
        assert await apply_change(change)
    assert not any([await apply_change(change) for change in changes])

    # Then the counters are exactly the rows, grouped; terminal journeys count nowhere
    assert await kept(clinic_id) == await _grouped(clinic_id)
    assert await Journey.filter(clinic_id=clinic_id, active=False).count() == 4
    # And the board reads them, one line per active stage
    board = await stage_counts(clinic_id, START)
    grouped = await _grouped(clinic_id)
    assert [(s.stage, s.active, s.stuck) for s in board] == [
        (s.value, *grouped.get((clinic_id, s.value), (0, 0))) for s in ACTIVE_STAGES
    ]
    assert await check_counters(clinic_id, repair=False) == []
    # And its medians (computed by the database) are those of the stays, even counts included
    stays: dict[str, list[float]] = defaultdict(list)
    for stage, seconds in await StageStay.filter(clinic_id=clinic_id).values_list(
        "stage", "seconds"
    ):
        stays[stage].append(seconds)
    assert any(len(values) % 2 == 0 for values in stays.values())
    assert {s.stage: s.median_seconds_today for s in board if s.median_seconds_today} == {
        stage: statistics.median(values) for stage, values in stays.items()
    }


async def test_stays_are_timed_from_the_change_before_even_when_projected_out_of_order() -> None:
    # Given a journey that waits 2 minutes at reception, 5 at triage, then 1 at consultation
    clinic_id = await _clinic()
    first = plan(clinic_id, journeys=1, steps=1)[0]
    moves = [(Stage.TRIAGE, 2), (Stage.TRIAGE, 3), (Stage.CONSULTATION, 5), (Stage.TREATMENT, 6)]
    changes, came = [first], Stage.RECEPTION
    for seq, (stage, minute) in enumerate(moves, start=2):
        at = START + timedelta(minutes=minute)
        event = dataclasses.replace(first.event, seq=seq, from_stage=came, to_stage=stage, at=at)
        facts = dataclasses.replace(first.facts, stage=stage, event_seq=seq, stage_entered_at=at)
        changes.append(JourneyChange(event, facts))
        came = stage

    # When the changes reach the read model out of order, one of them twice
    for index in (0, 3, 1, 4, 2, 3):
        await apply_change(changes[index])

    # Then each stay is timed from the change that began it, once
    stays = (
        await StageStay.filter(clinic_id=clinic_id).order_by("seq").values_list("stage", "seconds")
    )
    assert stays == [("RECEPTION", 120.0), ("TRIAGE", 180.0), ("CONSULTATION", 60.0)]
    ended = await StageStay.filter(clinic_id=clinic_id).order_by("seq").values_list("ended_at")
    assert [at for (at,) in ended] == [changes[i].event.at for i in (1, 3, 4)]
    board = {s.stage: s.median_seconds_today for s in await stage_counts(clinic_id, START)}
    assert (board["RECEPTION"], board["TRIAGE"], board["CONSULTATION"]) == (120.0, 180.0, 60.0)
    # And only the stays that ended since the day's start count
    later = {
        s.stage: s.median_seconds_today for s in await stage_counts(clinic_id, changes[3].event.at)
    }
    assert (later["RECEPTION"], later["TRIAGE"], later["CONSULTATION"]) == (None, 180.0, 60.0)


async def test_two_processes_projecting_the_same_changes_keep_the_counters_exact(
    database_url: str,
) -> None:
    # Given a clinic, and two writer processes on the same database
    clinic_id = await _clinic()

    # When both project every change at once, one oldest first, the other newest first
    async def writer(order: str) -> int:
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.store.stage_plan", database_url, clinic_id, order, cwd=ROOT
        )
        return await asyncio.wait_for(child.wait(), CHILD_TIMEOUT)

    assert await asyncio.gather(writer("forward"), writer("backward")) == [0, 0]

    # Then every journey ends at its last change, and the counters equal the rows, grouped
    last = {c.facts.journey_id: c.facts for c in plan(clinic_id)}
    rows = await Journey.filter(clinic_id=clinic_id).values_list("id", "stage", "last_event_seq")
    assert {(i, s, n) for i, s, n in rows} == {
        (f.journey_id, f.stage.value, f.event_seq) for f in last.values()
    }
    assert await kept(clinic_id) == await _grouped(clinic_id)


async def test_reconcile_finds_and_repairs_a_tampered_counter() -> None:
    # Given a clinic's journeys, projected
    clinic_id = await _clinic()
    for change in plan(clinic_id, journeys=4):
        await apply_change(change)
    right = await kept(clinic_id)
    (key, (active, stuck)), *_ = sorted(right.items())

    # When one counter is changed by hand and another stage's is added from nothing
    await JourneyStageCount.filter(clinic_id=clinic_id, stage=key[1]).update(active=active + 7)
    await JourneyStageCount.create(clinic_id=clinic_id, stage="NOWHERE", active=2, stuck=1)

    # Then the check names both, and leaves them while only checking
    expected = [
        CounterDrift(clinic_id, "NOWHERE", (2, 1), (0, 0)),
        CounterDrift(clinic_id, key[1], (active + 7, stuck), (active, stuck)),
    ]
    assert sorted(await check_counters(clinic_id, repair=False), key=str) == sorted(
        expected, key=str
    )
    assert sorted(await check_counters(clinic_id, repair=False), key=str) == sorted(
        expected, key=str
    )
    # And the repair brings them back to the rows' count
    assert len(await check_counters(clinic_id, repair=True)) == 2
    assert await check_counters(clinic_id, repair=False) == []
    assert await kept(clinic_id) == right


async def test_on_sqlite_a_change_of_stage_is_one_trip_with_its_stay(
    sqlite_trips: list[str],
) -> None:
    # Given a journey at reception
    clinic_id = await _clinic()
    first = plan(clinic_id, journeys=1, steps=1)[0]
    await apply_change(first)
    sqlite_trips.clear()
    # When it moves to triage two minutes later
    at = START + timedelta(minutes=2)
    event = dataclasses.replace(
        first.event, seq=2, from_stage=Stage.RECEPTION, to_stage=Stage.TRIAGE, at=at
    )
    facts = dataclasses.replace(first.facts, stage=Stage.TRIAGE, event_seq=2, stage_entered_at=at)
    assert await apply_change(JourneyChange(event, facts))
    # Then the event, the row, the counters and the stay it ended took one trip
    assert len(sqlite_trips) == 1
    stays = await StageStay.filter(clinic_id=clinic_id).values_list("stage", "seconds")
    assert stays == [("RECEPTION", 120.0)]


async def test_a_stay_is_kept_by_its_instant_whatever_zone_its_time_was_written_in() -> None:
    # Given a journey that leaves reception two minutes after opening, its time written at +09:00
    clinic_id = await _clinic()
    first = plan(clinic_id, journeys=1, steps=1)[0]
    await apply_change(first)
    at = (START + timedelta(minutes=2)).astimezone(timezone(timedelta(hours=9)))
    event = dataclasses.replace(
        first.event, seq=2, from_stage=Stage.RECEPTION, to_stage=Stage.TRIAGE, at=at
    )
    facts = dataclasses.replace(first.facts, stage=Stage.TRIAGE, event_seq=2, stage_entered_at=at)
    assert await apply_change(JourneyChange(event, facts))
    # When the board asks for the stays that ended since an hour after the opening, and since it
    board_later = {s.stage: s for s in await stage_counts(clinic_id, START + timedelta(hours=1))}
    board_since = {s.stage: s for s in await stage_counts(clinic_id, START)}
    # Then the stay, which ended before that hour, is left out of the later board only
    assert board_later["RECEPTION"].median_seconds_today is None
    assert board_since["RECEPTION"].median_seconds_today == 120.0
    (ended,) = await StageStay.filter(clinic_id=clinic_id).values_list("ended_at", flat=True)
    assert ended == at


async def test_a_repair_of_thousands_of_counters_is_written_in_bounded_statements() -> None:
    # Given more counters to add to than one statement takes parameters for (four each)
    prefix = f"many-{uuid.uuid4().hex[:8]}"
    changes = [((f"{prefix}-{n:05d}", "TRIAGE"), (1, n % 2)) for n in range(9000)]
    # When they are added in one transaction, as a repair adds them
    async with in_transaction() as connection:
        await add_to_counters(connection, changes)
    # Then every one is there
    rows = await JourneyStageCount.filter(clinic_id__startswith=prefix).values_list(
        "clinic_id", "active", "stuck"
    )
    assert sorted(rows) == [(clinic, 1, stuck) for (clinic, _), (_, stuck) in changes]
