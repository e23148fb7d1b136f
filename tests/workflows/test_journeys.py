"""Whole journeys on Temporal's time-skipping server, with the real read model behind them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.followups import DEFAULT_FOLLOW_UP_OFFSETS
from domain.journey.stages import ExpertDecision, FollowUpOutcome, PaymentKind, Stage, VisitCategory
from domain.journey.table import Action
from domain.store.models import JourneyEvent
from tests.support import (
    CASHIER,
    CONSULTANT,
    DESK,
    EXPERT,
    SUPERVISOR,
    assign,
    call,
    consent,
    journey_start,
    path,
    request,
    steps_to,
)
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import (
    OPENING,
    Handle,
    act,
    begin,
    finished,
    follow_ups,
    journey_log,
    lines_of,
    walk,
)

DAY = 86400
FU = Stage.FOLLOW_UP
LABELS = ["24h", "3d", "1w", "2w", "1m", "3m", "6m", "1y"]


@pytest.mark.parametrize(
    ("category", "kw"),
    [
        (VisitCategory.FIRST_VISIT, {}),
        (VisitCategory.RETURN_VISIT, {}),
        (VisitCategory.REPEAT_PURCHASE, {"anesthesia": True}),
        (VisitCategory.OTHER, {"minor": True}),
        (VisitCategory.RECHECK, {}),
    ],
    ids=lambda v: v.value if isinstance(v, VisitCategory) else ",".join(v) or "plain",
)
async def test_each_visit_category_goes_the_whole_way(
    client: Client, env: WorkflowEnvironment, category: VisitCategory, kw: dict[str, bool]
) -> None:
    # Given a walk-in of this category, with one follow-up a day after handover
    start = journey_start(category, minor=kw.get("minor", False), offsets=[DAY])
    handle = await begin(client, start, TASK_QUEUE)
    # When staff take it along its path and the follow-up is made once it falls due
    steps = path(category, **kw)
    await walk(handle, steps)
    await env.sleep(timedelta(days=1, minutes=1))
    assert [(f["follow_up_id"], f["status"]) for f in await follow_ups(start.journey_id)] == [
        ("fu-1", "DUE")
    ]
    assert (await act(handle, call("fu-1"))).stage is Stage.COMPLETED
    # Then the log holds each step once, in order (the call at 24 h is overdue as it falls due,
    # seed 002 §5.2, so the journey is stuck then), and the result is what the read model holds
    assert await journey_log(start.journey_id) == [
        *OPENING,
        *lines_of(steps),
        ("follow_up_due", "FOLLOW_UP", "FOLLOW_UP", "SYSTEM"),
        ("mark_stuck", "FOLLOW_UP", "FOLLOW_UP", "SYSTEM"),
        ("complete_follow_up", "FOLLOW_UP", "COMPLETED", "FOLLOW_UP_STAFF"),
    ]
    result = await finished(handle)
    assert (result.stage, result.event_seq) == (Stage.COMPLETED, len(steps) + 5)
    visited = {stage for _, stage in steps}
    skipped = {Stage.CONSULTATION, Stage.CONSENT, Stage.PAYMENT}
    assert visited & skipped == (set() if category is VisitCategory.RECHECK else skipped)


ENDINGS = {
    "not-converted": (
        [assign(), request(Action.RECORD_CONSULTATION, CONSULTANT)],
        request(Action.CLOSE_NOT_CONVERTED, CONSULTANT),
        Stage.NOT_CONVERTED,
    ),
    "declined": (steps_to(Stage.CONSENT), request(Action.DECLINE, CONSULTANT), Stage.DECLINED),
    "refused-at-review": (
        steps_to(Stage.EXPERT_REVIEW),
        request(Action.REFUSE_MEDICALLY, EXPERT),
        Stage.MEDICALLY_REFUSED,
    ),
    "refused-before-treatment": (
        steps_to(Stage.TREATMENT),
        request(Action.REFUSE_MEDICALLY, EXPERT),
        Stage.MEDICALLY_REFUSED,
    ),
    "cancelled": (steps_to(Stage.PAYMENT), request(Action.CANCEL, DESK), Stage.CANCELLED),
    "no-show": ([], request(Action.MARK_NO_SHOW, DESK), Stage.NO_SHOW),
}


@pytest.mark.parametrize("ending", ENDINGS)
async def test_each_early_ending_closes_the_journey(client: Client, ending: str) -> None:
    # Given a journey part way along (a booking still at reception for the no-show)
    steps, last, outcome = ENDINGS[ending]
    start = journey_start(checked_in=bool(steps))
    handle = await begin(client, start, TASK_QUEUE)
    for step in steps:
        await act(handle, step)
    before = await journey_log(start.journey_id)
    # When the ending action is taken
    result = await act(handle, last)
    # Then the journey ends there with one more event, and the workflow's result is the read model
    assert result.stage is outcome
    after = await journey_log(start.journey_id)
    assert after == [
        *before,
        (last.action.value, before[-1][2], outcome.value, last.actor.role.value),
    ]
    facts = await finished(handle)
    assert (facts.stage, facts.event_seq) == (outcome, len(after))


async def _at_follow_up(client: Client) -> tuple[str, Handle]:
    start = journey_start(offsets=list(DEFAULT_FOLLOW_UP_OFFSETS))
    handle = await begin(client, start, TASK_QUEUE)
    await walk(handle, path())
    return start.journey_id, handle


async def test_a_year_of_follow_ups_falls_due_on_time_and_completes_the_journey(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a journey handed over with the default schedule
    journey_id, handle = await _at_follow_up(client)
    scheduled = await follow_ups(journey_id)
    assert [(f["label"], f["status"]) for f in scheduled] == [
        (label, "SCHEDULED") for label in LABELS
    ]
    elapsed = 0
    for index, offset in enumerate(sorted(DEFAULT_FOLLOW_UP_OFFSETS)):
        # When the clock passes the next follow-up's moment (by a minute)
        await env.sleep(timedelta(seconds=offset - elapsed + 60))
        elapsed = offset + 60
        # Then that one, and only it, falls due: an open task, raised by the journey itself
        statuses = [f["status"] for f in await follow_ups(journey_id)]
        assert statuses == ["DONE"] * index + ["DUE"] + ["SCHEDULED"] * (7 - index)
        due = await JourneyEvent.filter(journey_id=journey_id, action="follow_up_due").order_by(
            "seq"
        )
        assert len(due) == index + 1
        assert (due[-1].actor_id, due[-1].actor_role, due[-1].summary) == (
            "system",
            "SYSTEM",
            f"follow-up due: {LABELS[index]}",
        )
        follow_up_id = f"fu-{index + 1}"
        if index == 0:  # the first call does not get through: it stays open and counts
            unreached = await act(handle, call(follow_up_id, FollowUpOutcome.NOT_REACHED))
            assert unreached.stage is FU
            first = (await follow_ups(journey_id))[0]
            assert (first["status"], first["attempts"], first["outcome"]) == (
                "DUE",
                1,
                "NOT_REACHED",
            )
        # When follow-up staff reach the client
        result = await act(handle, call(follow_up_id, satisfaction=5 - index % 3))
        assert result.stage is (Stage.COMPLETED if index == 7 else FU)
    # Then every follow-up is done, the journey completed, and only the first call breached the
    # journey's deadline: the call at 24 h is overdue as it falls due (seed 002 §5.2), each
    # later one a day past its due time
    facts = await finished(handle)
    assert [(f.status.value, f.attempts, f.satisfaction) for f in facts.follow_ups] == [
        ("DONE", 2 if i == 0 else 1, 5 - i % 3) for i in range(8)
    ]
    log = await journey_log(journey_id)
    assert len(log) == 2 + 9 + 8 + 9 + 1
    stuck = [i for i, line in enumerate(log) if line[0] == "mark_stuck"]
    assert [log[i - 1][0] for i in stuck] == ["follow_up_due"]
    assert facts.stuck_since is None


async def test_unreached_follow_ups_stay_open_until_a_supervisor_closes_them(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a journey whose first follow-up is due
    journey_id, handle = await _at_follow_up(client)
    await env.sleep(timedelta(days=1, minutes=1))
    # When the client is not reached twice, the follow-up stays open with the attempts counted
    for attempt in (1, 2):
        assert (await act(handle, call("fu-1", FollowUpOutcome.NOT_REACHED))).stage is FU
        first = (await follow_ups(journey_id))[0]
        assert (first["status"], first["attempts"]) == ("DUE", attempt)
    # When a supervisor closes the follow-ups, the journey is completed
    closed = await act(handle, request(Action.CLOSE_FOLLOW_UPS, SUPERVISOR))
    assert closed.stage is Stage.COMPLETED
    facts = await finished(handle)
    assert [(f.status.value, f.attempts) for f in facts.follow_ups] == [("CLOSED", 2)] + [
        ("CLOSED", 0)
    ] * 7
    last = await JourneyEvent.get(journey_id=journey_id, seq=facts.event_seq)
    assert (last.action, last.actor_role, last.summary) == (
        "close_follow_ups",
        "SUPERVISOR",
        "8 open follow-up(s) closed by supervisor",
    )


async def test_a_yen_bill_paid_and_refunded_is_summarised_in_yen(client: Client) -> None:
    # Given a journey whose expert approved a plan of ¥150,000 (kept in hundredths, as the plan's
    # input reads it), at payment
    start = journey_start()
    handle = await begin(client, start, TASK_QUEUE)
    for step in steps_to(Stage.EXPERT_REVIEW):
        await act(handle, step)
    plan = {"plan_total_minor": 15_000_000, "currency": "JPY"}
    await act(handle, request(Action.APPROVE_PLAN, EXPERT, decision=ExpertDecision.APPROVE, **plan))
    assert (await act(handle, consent())).stage is Stage.PAYMENT
    # When a deposit of ¥50,000 is paid against its bill of ¥150,000 (kept in yen, JPY's minor
    # unit), and ¥1,000 of it refunded before treatment, on the sandboxed worker
    yen = {"currency": "JPY", "bill_total_minor": 150_000}
    deposit = {"amount_minor": 50_000, "payment_kind": PaymentKind.DEPOSIT, **yen}
    await act(handle, request(Action.RECORD_PAYMENT, CASHIER, **deposit))
    await act(handle, request(Action.REFUND, CASHIER, amount_minor=1_000, currency="JPY"))
    # Then the history the read model keeps writes each amount in yen (before: "500.00 JPY")
    rows = await JourneyEvent.filter(journey_id=start.journey_id).order_by("seq")
    assert [r.summary for r in rows][-4:] == [
        "plan approved at 150000 JPY",
        "PROCEDURE consent signed",
        "DEPOSIT 50000 JPY (paid 50000 JPY)",
        "refund 1000 JPY before treatment",
    ]
