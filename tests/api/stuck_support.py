"""Stuck journeys written straight to the read model, as the workflow's writer writes them once
its journey is marked stuck at its deadline, for tests of `stuckJourneys`' reason codes."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from domain.journey.effects import apply_action
from domain.journey.facts import SYSTEM_ACTOR, ActionRequest, JourneyFacts
from domain.journey.followups import schedule_follow_ups
from domain.journey.sla import next_breach, resolve_slas
from domain.journey.stages import FollowUpStatus, Stage, VisitCategory
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
query Stuck($clinicId: ID!, $reasonCode: StuckReason, $first: Int! = 10, $after: String) {
  stuckJourneys(clinicId: $clinicId, reasonCode: $reasonCode, first: $first, after: $after) {
    __typename
    ... on StuckJourneyConnection {
      edges { node { journey { id } stage reason reasonCode } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""


async def facts_in(clinic: JourneyDriver, stage: Stage, **changes: Any) -> JourneyFacts:
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


def mark_stuck(facts: JourneyFacts) -> None:
    """The journey marked stuck by its workflow at its deadline."""
    breach = next_breach(facts)
    assert breach is not None
    apply_action(facts, ActionRequest(Action.MARK_STUCK, SYSTEM_ACTOR), breach.deadline)
    assert facts.stuck_since is not None


async def marked_stuck(
    facts: JourneyFacts, *, code_kept: bool = True, words: str | None = None
) -> str:
    """The journey marked stuck by its workflow at its deadline, its row written: its id.
    `code_kept=False`: the row as written before the code was kept (its words alone); `words`:
    its words said otherwise (as a rule reworded since would say them)."""
    mark_stuck(facts)
    if words is not None:
        facts.stuck_reason = words
    values = journey_values(facts)
    if not code_kept:
        values["stuck_reason_code"] = None
    await Journey.create(id=facts.journey_id, **values)
    return encode_id("Journey", facts.journey_id)


async def call_due(
    clinic: JourneyDriver, handed_over: datetime, offset: int, **changes: Any
) -> JourneyFacts:
    """A journey in its follow-ups, handed over at `handed_over`, its call at `offset` seconds
    after it due (with `changes` to the call)."""
    (call,) = schedule_follow_ups(handed_over, [offset])
    due = dataclasses.replace(call, status=FollowUpStatus.DUE, **changes)
    return await facts_in(clinic, Stage.FOLLOW_UP, follow_ups=[due], follow_up_call_windows=True)


async def stuck_page(clinic: JourneyDriver, **variables: Any) -> dict[str, Any]:
    """`stuckJourneys` of the clinic, read by its supervisor, with `variables`."""
    clinic_id = await clinic_of(clinic)
    data = await run(clinic, STUCK_JOURNEYS, Role.SUPERVISOR, clinicId=clinic_id, **variables)
    assert data["__typename"] == "StuckJourneyConnection", data
    page: dict[str, Any] = data
    return page


async def codes(clinic: JourneyDriver, **variables: Any) -> dict[str, tuple[str, str, str]]:
    """Each stuck journey's id: its stage, reason code and words."""
    page = await stuck_page(clinic, **variables)
    return {
        edge["node"]["journey"]["id"]: (
            edge["node"]["stage"],
            edge["node"]["reasonCode"],
            edge["node"]["reason"],
        )
        for edge in page["edges"]
    }
