"""Why a journey is stuck, as a code beside the words (`StuckJourney.reasonCode`): one per rule
of `domain.journey.sla`, so a screen groups, translates and filters by it. Through the real
server: hours and days are not waited for, so each journey entered its stage or had its call
fall due long ago, and its workflow marked it stuck at its deadline, its row written as the
read model's writer writes it."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.journey.effects import apply_action
from domain.journey.facts import SYSTEM_ACTOR, ActionRequest, JourneyFacts
from domain.journey.followups import DAY, schedule_follow_ups
from domain.journey.sla import next_breach, resolve_slas
from domain.journey.stages import FollowUpOutcome, FollowUpStatus, Stage, VisitCategory
from domain.journey.table import Action
from domain.roles import Role
from domain.store.models import Journey
from domain.store.projection import journey_values
from schema.ids import decode_id, encode_id
from tests.api.alert_support import facts_of
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver
from tests.api.procedure_support import run

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
STUCK_JOURNEYS = """
query Stuck($clinicId: ID!) {
  stuckJourneys(clinicId: $clinicId, first: 10) {
    __typename
    ... on StuckJourneyConnection { edges { node { journey { id } stage reason reasonCode } } }
  }
}"""


async def _facts(clinic: JourneyDriver, stage: Stage, **changes: Any) -> JourneyFacts:
    """A journey of a new client of the clinic, at `stage`, with `changes`."""
    raw_client = decode_id(await clinic.register_client(), "Client")
    assert raw_client is not None
    return facts_of(
        stage,
        f"stuck-{uuid.uuid4().hex}",
        await clinic_of(clinic),
        client_id=raw_client,
        stage_slas=resolve_slas(VisitCategory.FIRST_VISIT, {}),
        **changes,
    )


async def _marked_stuck(facts: JourneyFacts) -> str:
    """The journey marked stuck by its workflow at its deadline, its row written: its id."""
    breach = next_breach(facts)
    assert breach is not None
    apply_action(facts, ActionRequest(Action.MARK_STUCK, SYSTEM_ACTOR), breach.deadline)
    assert facts.stuck_since is not None
    await Journey.create(id=facts.journey_id, **journey_values(facts))
    return encode_id("Journey", facts.journey_id)


async def _call_due(
    clinic: JourneyDriver, handed_over: datetime, offset: int, **changes: Any
) -> JourneyFacts:
    """A journey in its follow-ups, handed over at `handed_over`, its call at `offset` seconds
    after it due (with `changes` to the call)."""
    (call,) = schedule_follow_ups(handed_over, [offset])
    due = dataclasses.replace(call, status=FollowUpStatus.DUE, **changes)
    return await _facts(clinic, Stage.FOLLOW_UP, follow_ups=[due], follow_up_call_windows=True)


async def _codes(clinic: JourneyDriver) -> dict[str, tuple[str, str, str]]:
    data = await run(clinic, STUCK_JOURNEYS, Role.SUPERVISOR, clinicId=await clinic_of(clinic))
    assert data["__typename"] == "StuckJourneyConnection", data
    return {
        edge["node"]["journey"]["id"]: (
            edge["node"]["stage"],
            edge["node"]["reasonCode"],
            edge["node"]["reason"],
        )
        for edge in data["edges"]
    }


async def test_each_rule_that_makes_a_journey_stuck_has_its_code(fresh_clinic: FreshClinic) -> None:
    # Given journeys stuck by each rule: consent waited past its three days; a 24 h call not
    # made within the first day; the same call in a run started before the windows (a day past
    # its due time); a 3-day call a day past due; a call tried three times unanswered
    clinic = await fresh_clinic()
    now = datetime.now(UTC)
    consent = await _marked_stuck(
        await _facts(clinic, Stage.CONSENT, stage_entered_at=now - timedelta(days=4))
    )
    window = await _marked_stuck(await _call_due(clinic, now - timedelta(hours=25), DAY))
    before_windows = await _call_due(clinic, now - timedelta(hours=49), DAY)
    before_windows.follow_up_call_windows = False
    legacy = await _marked_stuck(before_windows)
    three_days = await _marked_stuck(await _call_due(clinic, now - timedelta(days=5), 3 * DAY))
    unanswered = await _marked_stuck(
        await _call_due(
            clinic,
            now - timedelta(days=8),
            7 * DAY,
            attempts=3,
            outcome=FollowUpOutcome.NOT_REACHED,
        )
    )
    # When a supervisor reads the stuck journeys
    codes = await _codes(clinic)
    # Then each says its rule as a code, beside the words it says it in
    assert codes == {
        consent: ("CONSENT", "STAGE_OVERDUE", "CONSENT for more than 3 day(s)"),
        window: (
            "FOLLOW_UP",
            "FOLLOW_UP_CALL_WINDOW_MISSED",
            "follow-up 24h not made within 24 hours of the treatment",
        ),
        legacy: ("FOLLOW_UP", "FOLLOW_UP_CALL_OVERDUE", "follow-up 24h overdue by more than a day"),
        three_days: (
            "FOLLOW_UP",
            "FOLLOW_UP_CALL_OVERDUE",
            "follow-up 3d overdue by more than a day",
        ),
        unanswered: (
            "FOLLOW_UP",
            "FOLLOW_UP_CALLS_UNANSWERED",
            "follow-up 1w: three unanswered calls",
        ),
    }


async def test_the_code_stays_the_rule_that_made_it_stuck_while_another_holds_too(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey stuck as its 24 h call was not made within the first day, then its call
    # tried three times without reaching the client (it stays stuck, with the same words)
    clinic = await fresh_clinic()
    now = datetime.now(UTC)
    facts = await _call_due(clinic, now - timedelta(hours=30), DAY)
    breach = next_breach(facts)
    assert breach is not None
    apply_action(facts, ActionRequest(Action.MARK_STUCK, SYSTEM_ACTOR), breach.deadline)
    (call,) = facts.follow_ups
    facts.follow_ups = [dataclasses.replace(call, attempts=3, outcome=FollowUpOutcome.NOT_REACHED)]
    await Journey.create(id=facts.journey_id, **journey_values(facts))
    # When a supervisor reads the stuck journeys
    codes = await _codes(clinic)
    # Then the code is the window's, as the words are
    assert codes == {
        encode_id("Journey", facts.journey_id): (
            "FOLLOW_UP",
            "FOLLOW_UP_CALL_WINDOW_MISSED",
            "follow-up 24h not made within 24 hours of the treatment",
        )
    }
