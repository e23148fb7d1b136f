"""The desk following a journey the supervisor moved is no hand-over the journey missed, once the
supervisor moves it again: reconciliation reports no drift."""

from __future__ import annotations

from temporalio.testing import WorkflowEnvironment

from schema.ids import decode_id
from server.reconcile import find_drift
from tests.api.desk_moves import moved, placed_with_the_first
from tests.api.harness import Api, eventually
from tests.api.test_desk_learns import _board


async def test_a_followed_journey_moved_again_is_not_reported_as_a_missed_hand_over(
    api: Api, temporal_env: WorkflowEnvironment
) -> None:
    placed = await placed_with_the_first(api, consulting=2)
    clinic, desk, consultants, journey = (
        placed.clinic, placed.desk, placed.consultants, placed.journey
    )  # fmt: skip
    for consultant in (consultants[2], consultants[1]):
        await moved(placed, consultant)
        # (the desk follows the first move; the second finds her taken)
        await eventually(
            lambda: _board(api, desk, clinic), lambda b: not b["pending"], timeout=30, what="b"
        )
    row_id = decode_id(journey, "Journey")
    drift = await find_drift(temporal_env.client, clinic)
    assert [d.problem for d in drift if d.journey_id == row_id] == []
