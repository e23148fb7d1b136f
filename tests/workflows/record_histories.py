"""Records representative journey histories for the replay test (test_replay.py).

    python -m tests.workflows.record_histories [SCENARIO ...]

Runs each scenario on the time-skipping test server with a throwaway SQLite read model and
writes tests/workflows/histories/<name>.json: the workflow id, its history (`to_json()`) and
the workflow's result (`facts_to_json`). Re-record only on purpose: these files stand for the
journeys already running in clinics, which today's code must replay to the same state. Named
scenarios are recorded alone; a new scenario is recorded by name, so that the others keep the
commands of the code that recorded them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.journey.codec import facts_to_json
from domain.journey.stages import ConsentKind, FollowUpOutcome, PaymentKind, VisitCategory
from domain.journey.table import Action
from domain.store.db import apply_migrations, close_db, init_db
from tests.support import (
    CASHIER,
    CONSULTANT,
    CURRENCY,
    EXPERT,
    NURSE,
    SUPERVISOR,
    approve,
    ask_expert,
    assign,
    binary,
    call,
    consent,
    journey_start,
    path,
    pay,
    registered_client,
    request,
)
from tests.workflows.drive import Handle, act, begin, walk
from workflows.activities import record_journey_change
from workflows.client import JourneyGateway
from workflows.journey import JourneyWorkflow
from workflows.search_attributes import register_search_attributes

HISTORIES = Path(__file__).with_name("histories")
TASK_QUEUE = "journeys-record"
DAY = 86400
Scenario = Callable[[Client, WorkflowEnvironment], Awaitable[Handle]]


async def _approved(handle: Handle) -> None:
    """A consultant assigned, the consultation recorded, the expert asked and approving."""
    await act(handle, assign())
    await act(handle, request(Action.RECORD_CONSULTATION, CONSULTANT))
    await act(handle, ask_expert())
    await act(handle, approve())


async def first_visit(client: Client, env: WorkflowEnvironment) -> Handle:
    """Anesthesia, a deposit and a top-up, a reassignment, a refused and a retried action,
    two follow-ups (the first not reached at once): completed."""
    start = journey_start(offsets=[DAY, 7 * DAY])
    start.journey_id = "journey-replay-first-visit"
    handle = await begin(client, start, TASK_QUEUE, as_given=True)
    await act(handle, assign(), id="assign")
    await act(handle, assign(), id="assign")  # a retry: answered from the first, not recorded
    await act(handle, request(Action.RECORD_CONSULTATION, CONSULTANT))
    await act(handle, ask_expert())
    await act(handle, approve(anesthesia=True))
    try:  # refused: no payment before consent; it leaves no trace in history
        await act(handle, pay())
        raise AssertionError("a payment before consent was accepted")
    except WorkflowUpdateFailedError:
        pass
    await act(handle, request(Action.REASSIGN, SUPERVISOR, consultant_id="consultant-2"))
    await act(handle, consent(ConsentKind.PROCEDURE))
    await act(handle, consent(ConsentKind.ANESTHESIA, by=EXPERT))
    await act(handle, pay(60_000, PaymentKind.DEPOSIT))
    await act(handle, pay(180_000, PaymentKind.TOP_UP))
    await walk(handle, path()[-3:])
    await env.sleep(timedelta(days=1, minutes=1))
    await act(handle, call("fu-1", FollowUpOutcome.NOT_REACHED))
    await act(handle, call("fu-1", satisfaction=4))
    await env.sleep(timedelta(days=6, minutes=1))
    await act(handle, call("fu-2", satisfaction=5))
    return handle


async def recheck(client: Client, env: WorkflowEnvironment) -> Handle:
    """Straight to treatment; one follow-up made, the rest closed by a supervisor."""
    start = journey_start(VisitCategory.RECHECK, offsets=[DAY, 3 * DAY, 7 * DAY])
    start.journey_id = "journey-replay-recheck"
    handle = await begin(client, start, TASK_QUEUE, as_given=True)
    await walk(handle, path(VisitCategory.RECHECK))
    await env.sleep(timedelta(days=1, minutes=1))
    await act(handle, call("fu-1", satisfaction=3))
    await act(handle, request(Action.NUDGE, SUPERVISOR))
    await act(handle, request(Action.CLOSE_FOLLOW_UPS, SUPERVISOR))
    return handle


async def stuck_then_refused(client: Client, env: WorkflowEnvironment) -> Handle:
    """A booking checked in later; the expert review overruns its SLA; refused before treatment."""
    start = journey_start(checked_in=False)
    start.journey_id = "journey-replay-stuck-then-refused"
    handle = await begin(client, start, TASK_QUEUE, as_given=True)
    await act(handle, request(Action.CHECK_IN, start.started_by))
    await act(handle, assign())
    await act(handle, request(Action.RECORD_CONSULTATION, CONSULTANT))
    await act(handle, ask_expert())
    await env.sleep(timedelta(hours=2))  # the review's SLA is an hour: marked stuck
    await act(handle, request(Action.ESCALATE, SUPERVISOR))
    await act(handle, approve())
    await act(handle, consent(by=NURSE))
    await act(handle, pay())
    await act(handle, request(Action.REFUSE_MEDICALLY, EXPERT))
    return handle


async def started_today(client: Client, env: WorkflowEnvironment) -> Handle:
    """A first visit started as the workflow client starts one (the workflow's changes listed,
    the opening's search attributes told with the start): no patch marker, no upsert to open;
    a follow-up falls due while the journey waits, then the last one is made: completed."""
    start = journey_start(offsets=[DAY, 7 * DAY])
    start.journey_id = "journey-replay-started-today"
    await JourneyGateway(client, TASK_QUEUE).start(start)
    handle: Handle = client.get_workflow_handle_for(JourneyWorkflow.run, start.journey_id)
    await _approved(handle)
    await act(handle, consent())
    await act(handle, pay())
    await walk(handle, path()[-3:])
    await env.sleep(timedelta(days=1, minutes=1))
    await act(handle, call("fu-1", satisfaction=5))
    await env.sleep(timedelta(days=6, minutes=1))
    await act(handle, call("fu-2", satisfaction=4))
    return handle


async def photo_withdrawn(client: Client, env: WorkflowEnvironment) -> Handle:
    """Photo and procedure consents signed; the photo consent withdrawn at payment. Recorded
    before optional consents stopped ending a journey: it ended DECLINED, and a run of that
    time must replay so."""
    start = journey_start()
    start.journey_id = "journey-replay-photo-withdrawn"
    handle = await begin(client, start, TASK_QUEUE, as_given=True)
    await _approved(handle)
    await act(handle, consent(ConsentKind.PHOTO, by=NURSE))
    await act(handle, consent(by=NURSE))
    await act(handle, request(Action.WITHDRAW_CONSENT, NURSE, consent_kind=ConsentKind.PHOTO))
    return handle


async def refunded_before_treatment(client: Client, env: WorkflowEnvironment) -> Handle:
    """A deposit of 600.00 on a plan of 2400.00, and 100.00 of it given back before the
    treatment. Recorded before a refund could correct a payment (its details carried no such
    thing): it ended REFUNDED, and a run of that time must replay so."""
    start = journey_start()
    start.journey_id = "journey-replay-refunded-before-treatment"
    handle = await begin(client, start, TASK_QUEUE)
    await _approved(handle)
    await act(handle, consent(by=NURSE))
    await act(handle, pay(60_000, PaymentKind.DEPOSIT))
    await act(handle, request(Action.REFUND, CASHIER, amount_minor=10_000, currency=CURRENCY))
    return handle


async def corrected_before_treatment(client: Client, env: WorkflowEnvironment) -> Handle:
    """A deposit of 600.00 on a plan of 2400.00, 100.00 of it corrected before the treatment
    (`correct_payment`, the journey going on), then 100.00 given back as the client withdrawing
    (`act`), which ends it: a run with a payment's correction of its own update replays so."""
    start = journey_start()
    start.journey_id = "journey-replay-corrected-before-treatment"
    handle = await begin(client, start, TASK_QUEUE)
    await _approved(handle)
    await act(handle, consent(by=NURSE))
    await act(handle, pay(60_000, PaymentKind.DEPOSIT))
    refund = request(Action.REFUND, CASHIER, amount_minor=10_000, currency=CURRENCY)
    await handle.execute_update(JourneyWorkflow.correct_payment, refund)
    await act(handle, refund)
    return handle


async def first_call_a_day_late(client: Client, env: WorkflowEnvironment) -> Handle:
    """The first call (24 h after the handover) made a day and an hour after it fell due, then
    the week's call: completed. Recorded before a due call's stuck deadline followed its
    handbook window: the journey was marked stuck a day past the call's due time (48 h after
    the handover), not as the call fell due, and a run of that time must replay so."""
    start = journey_start(offsets=[DAY, 7 * DAY])
    start.journey_id = "journey-replay-first-call-a-day-late"
    handle = await begin(client, start, TASK_QUEUE)
    await _approved(handle)
    await act(handle, consent())
    await act(handle, pay())
    await walk(handle, path()[-3:])
    await env.sleep(timedelta(days=2, hours=1))
    await act(handle, call("fu-1", satisfaction=4))
    await env.sleep(timedelta(days=5))
    await act(handle, call("fu-2", satisfaction=5))
    return handle


async def handed_over_by_a_newer_api(client: Client, env: WorkflowEnvironment) -> Handle:
    """A 3-day call, the handover carrying the clinic's allowance of no hours past a call's due
    time as an API of the release that sends it does, taken by a worker of the release before
    (which reads no such field): stuck a day past the call's due time, the call made an hour
    after. A run of that time must replay so."""
    start = journey_start(offsets=[3 * DAY])
    start.journey_id = "journey-replay-handed-over-by-a-newer-api"
    handle = await begin(client, start, TASK_QUEUE)
    await _approved(handle)
    await act(handle, consent())
    await act(handle, pay())
    *treatment, (handing_over, _stage) = path()[-3:]
    await walk(handle, treatment)
    sent: dict[str, Any] = dataclasses.asdict(handing_over)
    sent["details"]["follow_up_allowance_seconds"] = 0
    await handle.execute_update(JourneyWorkflow.act, sent)  # type: ignore[arg-type]
    await env.sleep(timedelta(days=4, hours=1))
    await act(handle, call("fu-1", satisfaction=4))
    return handle


SCENARIOS: dict[str, Scenario] = {
    "first_visit": first_visit,
    "recheck": recheck,
    "stuck_then_refused": stuck_then_refused,
    "started_today": started_today,
    "photo_withdrawn": photo_withdrawn,
    "refunded_before_treatment": refunded_before_treatment,
    "corrected_before_treatment": corrected_before_treatment,
    "first_call_a_day_late": first_call_a_day_late,
    "handed_over_by_a_newer_api": handed_over_by_a_newer_api,
}


async def record(env: WorkflowEnvironment, names: Sequence[str]) -> list[Path]:
    written = []
    async with Worker(
        env.client,
        task_queue=TASK_QUEUE,
        workflows=[JourneyWorkflow],
        activities=[record_journey_change],
    ):
        for name in names:
            handle = await SCENARIOS[name](env.client, env)
            result = await handle.result()
            history = await handle.fetch_history()
            recording = {
                "workflow_id": handle.id,
                "result": facts_to_json(result),
                "history": json.loads(history.to_json()),
            }
            target = HISTORIES / f"{name}.json"
            target.write_text(json.dumps(recording, indent=1) + "\n")
            written.append(target)
            print(f"{target.name}: {len(history.events)} events, ended {result.stage.value}")
    return written


# Recorded by the code before a change that today's code no longer takes in new runs: today's
# code would record something else (`photo_withdrawn`: the journey would not end;
# `refunded_before_treatment`: its refund's details would say it corrects no payment;
# `first_call_a_day_late`: the journey would be stuck as its first call fell due), so it is
# never recorded again, not even by a run of every scenario.
RECORDED_BY_OLDER_CODE = frozenset(
    {"photo_withdrawn", "refunded_before_treatment", "first_call_a_day_late"}
)


async def main(names: Sequence[str]) -> None:
    older = sorted(set(names) & RECORDED_BY_OLDER_CODE)
    if older:
        raise SystemExit(f"recorded by older code, not again: {', '.join(older)}")
    names = names or [name for name in SCENARIOS if name not in RECORDED_BY_OLDER_CODE]
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        raise SystemExit(f"no such scenario: {', '.join(unknown)} (known: {', '.join(SCENARIOS)})")
    HISTORIES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite://{Path(scratch) / 'record.sqlite3'}"
        await apply_migrations(url)
        await init_db(url)
        await registered_client()
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=binary("temporal-test-server")
        )
        try:
            await register_search_attributes(env.client, env.client.namespace)
            await record(env, names)
        finally:
            await env.shutdown()
            await close_db()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
