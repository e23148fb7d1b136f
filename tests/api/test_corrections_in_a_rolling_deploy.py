"""A refund's correction during a rolling deploy: an API of this release beside a journey worker
of the release before (`tests.api.release_before`).

Before, the API sent a correction as the journey's `act` update with `corrects_a_payment` set;
the worker of the release before decoded it without the field it did not know and took the
refund as the client withdrawing: the journey ended as REFUNDED. Now a correction is an update
of its own name (`correct_payment`), which that worker has no handler for and refuses, nothing
in history: the cashier hears `Unavailable` (the workers are being upgraded), nothing is
written, and the same request sent again once the worker is upgraded corrects, exactly once.
"""

from __future__ import annotations

from typing import Any

from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store.billing import Refund as RefundRow
from domain.store.models import IdempotencyKey, JourneyEvent
from domain.store.models import Journey as JourneyRow
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import Api
from tests.api.money_support import (
    RECORD_REFUND,
    bill_of,
    billed_journey,
    eur,
    money_call,
    payment,
    set_item,
)
from tests.api.release_before import ReleaseBefore
from tests.api.test_refund_corrections import Clinic
from workflows.journey import JourneyWorkflow
from workflows.worker import build_worker

RECORD_REFUND_OR_WAIT = RECORD_REFUND.replace(
    "... on UserError { code message }",
    "... on UserError { code message }\n    ... on Unavailable { retryAfterSeconds }",
)


async def _journey_facts(env: WorkflowEnvironment, raw_id: str) -> tuple[str, int]:
    """The journey's stage and what it counts as paid, asked of its workflow."""
    handle = env.client.get_workflow_handle_for(JourneyWorkflow.run, raw_id)
    facts = await handle.query(JourneyWorkflow.facts)
    return facts.stage.value, facts.paid_minor


async def test_a_correction_beside_a_worker_of_the_release_before_waits_for_the_upgrade(
    isolated: tuple[Api, str, dict[str, str]],
    temporal_env: WorkflowEnvironment,
    fresh_clinic: Clinic,
) -> None:
    api, task_queue, _ = isolated
    temporal = temporal_env.client
    driver = JourneyDriver(api, (await fresh_clinic()).staff)
    cashier = driver.staff[Role.CASHIER].account_id
    async with build_worker(temporal, task_queue, interceptors=[ReleaseBefore()]):
        # Given a deposit of 100.00 on a bill of 1000.00, its journey run by a worker of the
        # release before
        item = await set_item(driver, listPrice=eur("1000.00"))
        journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
        await driver.ok(
            documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "100.00", "DEPOSIT")
        )
        deposit = (await bill_of(driver, journey["id"]))["payments"][0]["id"]
        raw_id = decode_id(journey["id"], "Journey")
        assert raw_id is not None
        # When 10.00 of it is given back as a correction (REVERSAL)
        refund: dict[str, Any] = {
            "paymentId": deposit,
            "amount": eur("10.00"),
            "reason": "wrong amount keyed",
            "kind": "REVERSAL",
            "idempotencyKey": new_key(),
        }
        refused = await money_call(driver, RECORD_REFUND_OR_WAIT, Role.CASHIER, **refund)
        # Then the cashier hears that the workers are being upgraded, to send it again
        assert refused["__typename"] == "Unavailable", refused
        assert "upgraded" in refused["message"], refused
        assert refused["retryAfterSeconds"] > 0
        # And the journey neither ended nor counted it, in its workflow and in the read model
        assert await _journey_facts(temporal_env, raw_id) == ("PAYMENT", 10_000)
    assert (await JourneyRow.get(id=raw_id)).stage == "PAYMENT"
    # And nothing claims it was done: no refund, no event of it, the key still open
    assert await RefundRow.filter(journey_id=raw_id).count() == 0
    assert await JourneyEvent.filter(journey_id=raw_id, action="refund").count() == 0
    claim = await IdempotencyKey.get(account_id=cashier, key=refund["idempotencyKey"])
    assert claim.result_id == ""

    # When the worker is upgraded and the same request is sent again with the same key
    async with build_worker(temporal, task_queue):
        given = await money_call(driver, RECORD_REFUND_OR_WAIT, Role.CASHIER, **refund)
        # Then the payment is corrected and the journey goes on where it was, counting 90.00
        assert given["__typename"] == "RefundPayload", given
        assert given["journey"]["stage"] == "PAYMENT", given
        assert await _journey_facts(temporal_env, raw_id) == ("PAYMENT", 9_000)
        # And a third attempt is answered alike, changing nothing
        again = await money_call(driver, RECORD_REFUND_OR_WAIT, Role.CASHIER, **refund)
        assert again == given
    # And it was given back exactly once
    assert await RefundRow.filter(journey_id=raw_id).count() == 1
    assert await JourneyEvent.filter(journey_id=raw_id, action="refund").count() == 1
