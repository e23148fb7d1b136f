"""Through the real server and Temporal: the supervisor moves a journey the desk placed with the
first consultant to the third, and the desk's 10-minute rule, not having heard of it yet, hands
her to the second. The journey refuses that hand-over (it no longer names the consultant the desk
hands her from), says so at INFO, and keeps the consultant the supervisor named; a hand-over from
the consultant the journey names goes ahead."""

from __future__ import annotations

import asyncio
import logging

import pytest
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment

from domain.triage.entries import DeskEntry, EntryKind
from schema.ids import decode_id
from tests.api.desk_moves import moved, placed_with_the_first
from tests.api.harness import Api
from tests.store.stage_plan import START
from workflows.triage_activities import HAND_OVERS_BUDGET_SECONDS, hand_journey_over


def _timed_out(seq: int, journey_id: str, handed_from: str, to: str) -> DeskEntry:
    return DeskEntry(
        seq, "2026-12-04", EntryKind.TIMED_OUT, START, "triage-desk", "", "", to,
        from_consultant_id=handed_from, journey_id=journey_id, transfers_ownership=True,
    )  # fmt: skip


async def test_a_late_hand_over_leaves_a_journey_the_supervisor_moved_with_her_consultant(
    api: Api, temporal_env: WorkflowEnvironment, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a first visit the desk gave the first consultant, moved by the supervisor to the third
    placed = await placed_with_the_first(api, consulting=2)
    clinic, consultants, journey, driver = (
        placed.clinic, placed.consultants, placed.journey, placed.driver
    )  # fmt: skip
    await moved(placed, consultants[2])
    raw = decode_id(journey, "Journey")
    first, second, moved_to = (decode_id(c, "StaffMember") for c in consultants[:3])
    assert raw and first and second and moved_to

    # When the desk's record hands her from the first consultant to the second
    environment = ActivityEnvironment(temporal_env.client)
    deadline = asyncio.get_running_loop().time() + HAND_OVERS_BUDGET_SECONDS
    with caplog.at_level(logging.INFO, logger="temporalio.activity"):
        await environment.run(
            hand_journey_over, clinic, _timed_out(900, raw, first, second), deadline
        )

    # Then the journey refused it, said so, and keeps the consultant the supervisor named
    assert (await driver.journey(journey))["consultant"]["id"] == consultants[2]
    told = [r.getMessage() for r in caplog.records if "kept its consultant" in r.getMessage()]
    assert len(told) == 1 and raw in told[0], told

    # And a hand-over from the consultant the journey names goes ahead
    deadline = asyncio.get_running_loop().time() + HAND_OVERS_BUDGET_SECONDS
    await environment.run(
        hand_journey_over, clinic, _timed_out(901, raw, moved_to, second), deadline
    )
    assert (await driver.journey(journey))["consultant"]["id"] == consultants[1]
