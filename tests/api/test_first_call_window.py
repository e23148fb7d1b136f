"""The first follow-up call is overdue once the first day after the treatment is over (seed 002
§5.2: within 24 hours), sooner than the clinic's day of allowance past its due time would make
it. Through the real server: hours are not waited for, so each journey was handed over hours
ago, its read model and its call's task written as the call's falling due writes them."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.journey.codec import facts_to_json
from domain.journey.effects import apply_action
from domain.journey.facts import SYSTEM_ACTOR, ActionRequest, JourneyChange, JourneyFacts
from domain.journey.facts import JourneyEvent as Event
from domain.journey.followups import DAY, HOUR, schedule_follow_ups
from domain.journey.sla import next_breach
from domain.journey.stages import FollowUpStatus, Stage
from domain.journey.table import Action
from domain.roles import Role
from domain.store.models import Journey
from domain.store.projection import journey_values
from domain.store.task_projection import project_aftercare
from schema.ids import decode_id, encode_id
from tests.api.aftercare_documents import MY_TASKS, OVERDUE_COUNT
from tests.api.alert_support import facts_of
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver
from tests.api.procedure_support import run

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
STUCK_JOURNEYS = """
query Stuck($clinicId: ID!) {
  stuckJourneys(clinicId: $clinicId, first: 10) {
    __typename
    ... on StuckJourneyConnection { edges { node { journey { id } reason since overdueSeconds } } }
  }
}"""


async def _first_call_due(
    clinic: JourneyDriver, handed_over: datetime, offset: int, *, marked_stuck: bool = False
) -> str:
    """A journey of a new client of the clinic handed over at `handed_over`, following up at
    `offset` seconds after it, its first call due and on the callers' list: its id.
    `marked_stuck`: a journey of this release (the call windows taken), which its workflow
    marked stuck at its deadline, its row written as the read model's writer writes it."""
    raw_client = decode_id(await clinic.register_client(), "Client")
    assert raw_client is not None
    clinic_id = await clinic_of(clinic)
    journey_id = f"handed-{uuid.uuid4().hex}"
    (call,) = schedule_follow_ups(handed_over, [offset])
    facts: JourneyFacts = facts_of(
        Stage.FOLLOW_UP,
        journey_id,
        clinic_id,
        client_id=raw_client,
        follow_ups=[dataclasses.replace(call, status=FollowUpStatus.DUE)],
    )
    if marked_stuck:
        facts.follow_up_call_windows = True
        breach = next_breach(facts)
        assert breach is not None
        apply_action(facts, ActionRequest(Action.MARK_STUCK, SYSTEM_ACTOR), breach.deadline)
        await Journey.create(id=journey_id, **journey_values(facts))
    else:
        await Journey.create(
            id=journey_id, clinic_id=clinic_id, client_id=raw_client, stage="FOLLOW_UP",
            visit_category="FIRST_VISIT", active=True, started_at=handed_over - timedelta(hours=3),
            stage_entered_at=handed_over, facts=facts_to_json(facts),
        )  # fmt: skip
    due = Event(journey_id, 1, Action.FOLLOW_UP_DUE.value, Stage.FOLLOW_UP, Stage.FOLLOW_UP,
                SYSTEM_ACTOR, call.due_at, "follow-up due")  # fmt: skip
    await project_aftercare(JourneyChange(due, facts))
    return encode_id("Journey", journey_id)


async def _calls(clinic: JourneyDriver, overdue: bool | None = None) -> dict[str, Any]:
    data = await run(clinic, MY_TASKS, Role.FOLLOW_UP_STAFF, overdue=overdue)
    assert data["__typename"] == "FollowUpTaskConnection", data
    return {edge["node"]["journeyId"]: edge["node"] for edge in data["edges"]}


async def test_a_first_call_past_24_hours_is_overdue_and_one_within_them_is_not(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a clinic with the default allowance (a day past due), and two first calls due an
    # hour ago: one of a treatment 25 hours ago (the 24 h call), one of 7 hours ago (a 6 h call)
    clinic = await fresh_clinic()
    now = datetime.now(UTC)
    past_the_day = await _first_call_due(clinic, now - timedelta(hours=25), 1 * DAY)
    within_it = await _first_call_due(clinic, now - timedelta(hours=7), 6 * HOUR)
    # When follow-up staff read their list
    calls = await _calls(clinic)
    # Then the call past the first day is overdue (a day's allowance made it so only at 48 h),
    # and the one within it is not
    assert {jid: (c["label"], c["overdue"]) for jid, c in calls.items()} == {
        past_the_day: ("24h", True),
        within_it: ("6h", False),
    }
    assert list(await _calls(clinic, overdue=True)) == [past_the_day]
    assert list(await _calls(clinic, overdue=False)) == [within_it]
    stats = await run(clinic, OVERDUE_COUNT, Role.SUPERVISOR, clinicId=await clinic_of(clinic))
    assert stats["overdueTasks"] == 1


async def test_a_later_call_keeps_the_clinic_s_day_of_allowance(fresh_clinic: FreshClinic) -> None:
    # Given the 3-day call of a treatment 3 days and 23 hours ago: due 23 hours ago
    clinic = await fresh_clinic()
    now = datetime.now(UTC)
    three_days = await _first_call_due(clinic, now - timedelta(days=3, hours=23), 3 * DAY)
    # Then it is not overdue: a day past its due time is not over
    calls = await _calls(clinic)
    assert {jid: (c["label"], c["overdue"]) for jid, c in calls.items()} == {
        three_days: ("3d", False)
    }
    assert await _calls(clinic, overdue=True) == {}
    stats = await run(clinic, OVERDUE_COUNT, Role.SUPERVISOR, clinicId=await clinic_of(clinic))
    assert stats["overdueTasks"] == 0


async def test_the_journey_of_an_overdue_first_call_is_stuck_as_long_as_the_call_is_overdue(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey whose 24 h call fell due an hour ago (a treatment 25 hours ago), marked
    # stuck by its workflow at its deadline, and one whose 6 h call is due within the first day
    clinic = await fresh_clinic()
    now = datetime.now(UTC)
    overdue = await _first_call_due(clinic, now - timedelta(hours=25), 1 * DAY, marked_stuck=True)
    await _first_call_due(clinic, now - timedelta(hours=7), 6 * HOUR)
    # When a supervisor reads the stuck journeys
    stuck = await run(clinic, STUCK_JOURNEYS, Role.SUPERVISOR, clinicId=await clinic_of(clinic))
    # Then the journey is stuck since its call fell due, over its deadline by the hour its call
    # has been overdue on the callers' list
    assert stuck["__typename"] == "StuckJourneyConnection", stuck
    (node,) = [edge["node"] for edge in stuck["edges"]]
    assert (node["journey"]["id"], node["reason"]) == (
        overdue,
        "follow-up 24h not made within 24 hours of the treatment",
    )
    since = datetime.fromisoformat(node["since"])
    assert abs(since - (now - timedelta(hours=1))) < timedelta(seconds=1)
    assert 3600 <= node["overdueSeconds"] < 3600 + 60
    assert list(await _calls(clinic, overdue=True)) == [overdue]
