"""What the viewer may do to a journey now, as the API would answer it: the journey's gate, and
for a journey that missed its desk's day's-end release, the actions the API takes by sending
the release first (`domain.journey.access.TAKEN_AFTER_MISSED_RELEASE`).

Whether a journey missed its release is asked only of journeys waiting for the consultant they
name, by a viewer whose role may take those actions, and in one batch per request (the
`missed_release` DataLoader): a list of journeys costs the same few reads as one. So are the
consents withdrawn after an ended journey (`withdrawals_after_journey`), read only of an ended
journey with a consent that outlives it, for a viewer whose role may withdraw it: while one such
consent is in force, WITHDRAW_CONSENT is offered (`domain.consent.after_journey`).

Two actions are refused by role or title beyond the machine's table, as their mutations refuse
them, read only where the table would offer them: HAND_OVER of a surgery to a nurse, and
START_TREATMENT of a complex procedure to anyone but a doctor holding a senior title.
"""

from __future__ import annotations

from dataclasses import replace

from strawberry.types import Info

from domain.consent.after_journey import in_force_after_journey, may_offer_withdrawal
from domain.journey.access import TAKEN_AFTER_MISSED_RELEASE, Availability, available_actions
from domain.journey.codec import facts_from_json
from domain.journey.facts import Actor, JourneyFacts
from domain.journey.stages import ConsentKind
from domain.journey.table import ROLES, Action
from domain.procedures.checklist import HANDED_OVER_BY, handover_problem
from domain.store.day_end_releases import waiting_for_consultant
from domain.store.models import Journey as JourneyRow
from schema.context import Context
from schema.procedures.complex_gate import caller_lead_refusal
from schema.procedures.journey_type import journey_procedure

# The roles that may take any action the API takes after sending a missed release.
_TAKERS_AFTER_RELEASE = frozenset(role for a in TAKEN_AFTER_MISSED_RELEASE for role in ROLES[a])


async def _missed_release(info: Info[Context, None], row: JourneyRow, facts: JourneyFacts) -> bool:
    actor = info.context.actor
    named = facts.consultant_id
    if actor is None or actor.role not in _TAKERS_AFTER_RELEASE or named is None:
        return False
    if not waiting_for_consultant(facts):
        return False
    return await info.context.loaders.missed_release.load((row.id, named))


async def _outliving_consent(
    info: Info[Context, None], row: JourneyRow, facts: JourneyFacts
) -> bool:
    actor = info.context.actor
    if actor is None or not may_offer_withdrawal(facts, actor):
        return False
    since = await info.context.loaders.withdrawals_after_journey.load(row.id)
    return bool(in_force_after_journey(facts, {ConsentKind(w.kind) for w in since}))


async def viewer_availability(info: Info[Context, None], row: JourneyRow) -> list[Availability]:
    """Every staff action, with whether the viewer may take it now and why not."""
    actor = info.context.actor
    if actor is None:
        return []
    facts = facts_from_json(row.facts)
    missed = await _missed_release(info, row, facts)
    outliving = await _outliving_consent(info, row, facts)
    offered = available_actions(facts, actor, missed_release=missed, outliving_consent=outliving)
    offered = await _handed_over_by_role(info, row, actor, offered)
    return await _led_by_title(info, row, offered)


def _refused(offered: list[Availability], action: Action, reason: str) -> list[Availability]:
    return [
        replace(a, allowed=False, reason=reason) if a.action is action and a.allowed else a
        for a in offered
    ]


async def _led_by_title(
    info: Info[Context, None], row: JourneyRow, offered: list[Availability]
) -> list[Availability]:
    """START_TREATMENT refused, with the reason `startTreatment`'s `SeniorTitleRequired` gives
    (`caller_lead_refusal`), on a journey whose procedure type version is complex, to a viewer
    who may not lead it: a doctor without a senior title, a nurse. The type is read only where
    START_TREATMENT would be offered, in one batch per request, and the viewer's account once."""
    if not any(a.action is Action.START_TREATMENT and a.allowed for a in offered):
        return offered
    procedure = await journey_procedure(row, info.context.loaders)
    if procedure is None or not procedure.content.complex:
        return offered
    problem = await caller_lead_refusal(info)
    return offered if problem is None else _refused(offered, Action.START_TREATMENT, problem)


async def _handed_over_by_role(
    info: Info[Context, None],
    row: JourneyRow,
    actor: Actor,
    offered: list[Availability],
) -> list[Availability]:
    """HAND_OVER refused, as `handOver` refuses it, to a role that may not hand over the
    journey's treatment (a surgery: the doctor's). The type is read only where HAND_OVER would
    be offered to a role some category refuses, in one batch per request."""
    offered_now = any(a.action is Action.HAND_OVER and a.allowed for a in offered)
    if not offered_now or all(actor.role in roles for roles in HANDED_OVER_BY.values()):
        return offered
    procedure = await journey_procedure(row, info.context.loaders)
    problem = handover_problem(procedure.content.category if procedure else None, actor.role)
    return offered if problem is None else _refused(offered, Action.HAND_OVER, problem)


async def allowed_actions(info: Info[Context, None], row: JourneyRow) -> list[Action]:
    """The actions the viewer may take now: a refusal's `allowedActions`."""
    return [a.action for a in await viewer_availability(info, row) if a.allowed]
