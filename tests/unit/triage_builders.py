"""Compact builders for desk scenarios: "A:busy", "B:scope=skin+laser", arrivals by category."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count

from domain.journey.facts import Actor, JourneyFacts
from domain.journey.stages import ArrivalChannel, Stage, VisitCategory
from domain.roles import Role
from domain.triage.commands import ArriveCommand, OverrideCommand, OverrideKind, SeatCommand
from domain.triage.decision import Arrival
from domain.triage.desk import DeskState, MakeUp, Seat, SeatStatus
from domain.triage.overrides import change_seat
from domain.triage.policy import DEFAULT_POLICY, RotationPolicy
from domain.triage.revenue import CreditRule
from domain.triage.service import arrive
from tests.support import SUPERVISOR

DESK = Actor("desk-1", Role.FRONT_DESK)
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
_journeys = count(1)


def seat(spec: str) -> Seat:
    name, *flags = spec.split(":")
    result = Seat(name)
    for flag in flags:
        if flag == "off":
            result.on_duty = False
        elif flag.startswith("scope="):
            result.scope = flag.removeprefix("scope=").split("+")
        else:
            result.status = SeatStatus(flag.upper())
    return result


def desk(
    *specs: str, policy: RotationPolicy = DEFAULT_POLICY, makeups: list[MakeUp] | None = None
) -> DeskState:
    seats = [seat(s) for s in specs]
    return DeskState(
        clinic_id="clinic-1",
        day="2025-03-03",
        policy=policy,
        rotation=[s.consultant_id for s in seats],
        seats={s.consultant_id: s for s in seats},
        makeups=list(makeups or []),
    )


def client(
    category: VisitCategory = VisitCategory.FIRST_VISIT, *items: str, **extra: object
) -> Arrival:
    number = next(_journeys)
    journey_id = str(extra.pop("journey_id", f"j{number}"))
    return Arrival(journey_id, f"c{number}", category, tuple(items), **extra)  # type: ignore[arg-type]


def first(*items: str, **extra: object) -> Arrival:
    return client(VisitCategory.FIRST_VISIT, *items, **extra)


@dataclass(frozen=True)
class Status:
    """A step between arrivals: a consultant's status changes."""

    consultant_id: str
    status: SeatStatus


@dataclass
class Outcome:
    consultants: list[str | None] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)


def run(state: DeskState, steps: list[Arrival | Status]) -> Outcome:
    outcome = Outcome()
    for step in steps:
        if isinstance(step, Status):
            command = SeatCommand(DESK, step.consultant_id, "note-test", status=step.status)
            change_seat(state, command, NOW)
            continue
        decision, _ = arrive(state, ArriveCommand(DESK, step), NOW)
        outcome.consultants.append(decision.consultant_id)
        outcome.routes.append(decision.route.value)
    return outcome


def turns(state: DeskState) -> dict[str, int]:
    return {c: s.turns for c, s in state.seats.items() if s.turns}


def owed(state: DeskState) -> dict[str, int]:
    return {c: state.owed(c) for c in state.seats if state.owed(c)}


def reassigning(journey_id: str, to: str, rule: CreditRule) -> OverrideCommand:
    """The supervisor's reassignment of `journey_id` to `to` under `rule` (reassignClient)."""
    return OverrideCommand(
        SUPERVISOR,
        OverrideKind.REASSIGN,
        note_id="note-why",
        journey_id=journey_id,
        consultant_id=to,
        rule=rule,
    )


def at_consultation(journey_id: str, consultant: str) -> JourneyFacts:
    """A first visit's journey at its consultation, naming `consultant` (a desk client's)."""
    return JourneyFacts(
        journey_id=journey_id,
        clinic_id="clinic-1",
        client_id="c1",
        visit_category=VisitCategory.FIRST_VISIT,
        channel=ArrivalChannel.WALK_IN,
        client_is_minor=False,
        started_at=NOW,
        follow_up_offsets=[],
        stage=Stage.CONSULTATION,
        consultant_id=consultant,
    )
