"""A step refused at the bound on its journey (`schema.journeys.steps_in_flight`) answers
`Unavailable` having claimed no key and written nothing, whatever its mutation does before the
step: the desk's choice (`autoAssign`, `placeVip`, `assignConsultant`), a payment's bill, a
refund's money. Its retry with the same key, once the journey has room, is done once, as a
first attempt is.

Before, those mutations claimed their key (and `autoAssign`, `placeVip` had the desk decide)
and only then met the bound: the key stood claimed and never settled, though the answer said
nothing was done, and `autoAssign`'s retry was answered by the desk's replay ("already decided
for this journey"), not as a first attempt.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from domain.roles import Role
from domain.store.billing import Payment
from domain.store.billing import Refund as RefundRow
from domain.store.models import IdempotencyKey
from domain.store.models import Journey as JourneyRow
from domain.store.triage_models import DeskNote
from schema.ids import decode_id, encode_id
from schema.journeys.steps_in_flight import (
    MAX_STEPS_IN_FLIGHT,
    RETRY_AFTER_SECONDS,
    STEPS_IN_FLIGHT,
)
from schema.money.bill_types import PAYMENT_ID_TYPE
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import Api
from tests.api.money_support import (
    RECORD_REFUND,
    billed_journey,
    eur,
    money_call,
    payment,
    set_item,
)
from tests.api.test_triage_api import _client_at_triage
from tests.api.test_unanswered_desk import AUTO_ASSIGN

Clinic = Callable[[], Awaitable[JourneyDriver]]
PLACE_VIP = """
mutation Vip($input: PlaceVipInput!) {
  placeVip(input: $input) {
    __typename
    ... on UserError { code message }
    ... on Unavailable { retryAfterSeconds }
    ... on AutoAssignPayload { journey { stage history { action } } }
  }
}"""
DESK_REPLAY = "already decided for this journey"


@contextmanager
def journey_full(clinic_id: str, journey_id: str) -> Iterator[None]:
    """As many steps on the journey (a raw id) as this process runs at once on one journey,
    held until the block ends (the API under test runs in this process)."""
    with ExitStack() as held:
        for _ in range(MAX_STEPS_IN_FLIGHT):
            assert held.enter_context(STEPS_IN_FLIGHT.step(clinic_id, journey_id))
        yield


async def _journey(journey_id: str) -> JourneyRow:
    raw_id = decode_id(journey_id, "Journey")
    assert raw_id is not None
    return await JourneyRow.get(id=raw_id)


def assert_busy(answer: dict[str, Any]) -> None:
    assert answer["__typename"] == "Unavailable", answer
    assert answer["code"] == "UNAVAILABLE", answer
    assert "nothing was done" in answer["message"], answer
    if "retryAfterSeconds" in answer:
        assert answer["retryAfterSeconds"] == RETRY_AFTER_SECONDS, answer


async def test_auto_assign_at_the_bound_claims_nothing_and_its_retry_is_decided_afresh(
    api: Api,
) -> None:
    # Given a client at triage whose journey has as many steps running as it takes
    _, staff, _, journey_id = await _client_at_triage(api)
    journey = await _journey(journey_id)
    desk = staff[Role.FRONT_DESK].token
    input = {"journeyId": journey_id, "idempotencyKey": new_key()}
    with journey_full(journey.clinic_id, journey.id):
        # When the front desk asks the desk to assign the client
        refused = (await api.run(AUTO_ASSIGN, desk, input=input))["autoAssign"]
    # Then it is told to come back, its key unclaimed
    assert_busy(refused)
    assert not await IdempotencyKey.exists(key=input["idempotencyKey"])
    # And the same request, once the journey has room, is decided by the desk as a first one
    # (the desk heard nothing of the refused attempt), and the journey is assigned once
    again = (await api.run(AUTO_ASSIGN, desk, input=input))["autoAssign"]
    assert again["__typename"] == "AutoAssignPayload", again
    assert again["decision"]["reason"] != DESK_REPLAY, again
    history = [entry["action"] for entry in again["journey"]["history"]]
    assert history.count("assign_consultant") == 1
    assert again["journey"]["consultant"]["id"] == again["decision"]["consultantId"]


async def test_place_vip_at_the_bound_claims_nothing_and_tells_the_desk_nothing(
    api: Api,
) -> None:
    # Given a client at triage whose journey has as many steps running as it takes
    clinic, staff, consultants, journey_id = await _client_at_triage(api)
    journey = await _journey(journey_id)
    supervisor = staff[Role.SUPERVISOR].token
    key = new_key()
    input = {
        "journeyId": journey_id,
        "consultantId": consultants[0],
        "reason": "official",
        "idempotencyKey": key,
    }
    with journey_full(journey.clinic_id, journey.id):
        # When the supervisor places the client as a VIP
        refused = (await api.run(PLACE_VIP, supervisor, input=input))["placeVip"]
    # Then it is told to come back: its key unclaimed, no desk note written for the desk
    assert_busy(refused)
    assert not await IdempotencyKey.exists(key=key)
    assert await DeskNote.filter(clinic_id=clinic, operation="place_vip").count() == 0
    # And the same request, once the journey has room, places the client once
    again = (await api.run(PLACE_VIP, supervisor, input=input))["placeVip"]
    assert again["__typename"] == "AutoAssignPayload", again
    history = [entry["action"] for entry in again["journey"]["history"]]
    assert history.count("assign_consultant") == 1
    assert await DeskNote.filter(clinic_id=clinic, operation="place_vip").count() == 1


async def test_assign_consultant_at_the_bound_claims_nothing_and_its_retry_assigns_once(
    driver: JourneyDriver,
) -> None:
    # Given a journey with as many steps running as it takes
    started = await driver.start()
    journey = await _journey(started["id"])
    key = new_key()
    consultant = driver.staff[Role.CONSULTANT].global_id
    input = {"journeyId": started["id"], "consultantId": consultant, "idempotencyKey": key}
    with journey_full(journey.clinic_id, journey.id):
        # When the front desk assigns the consultant
        refused = await driver.act(documents.ASSIGN_CONSULTANT, Role.FRONT_DESK, **input)
    # Then it is told to come back, its key unclaimed
    assert_busy(refused)
    assert not await IdempotencyKey.exists(key=key)
    # And the same request, once the journey has room, assigns the consultant once
    assigned = await driver.ok(documents.ASSIGN_CONSULTANT, Role.FRONT_DESK, **input)
    history = [entry["action"] for entry in assigned["history"]]
    assert history.count("assign_consultant") == 1


async def test_a_payment_at_the_bound_claims_nothing_and_its_retry_is_written_once(
    fresh_clinic: Clinic,
) -> None:
    # Given a confirmed bill on a journey with as many steps running as it takes
    driver = await fresh_clinic()
    item = await set_item(driver, listPrice=eur("80.00"))
    billed, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    journey = await _journey(billed["id"])
    key = new_key()
    input = {**payment(bill, "80.00", "FULL"), "idempotencyKey": key}
    with journey_full(journey.clinic_id, journey.id):
        # When the cashier records its payment
        refused = await driver.act(documents.RECORD_PAYMENT, Role.CASHIER, **input)
    # Then it is told to come back: its key unclaimed, nothing paid
    assert_busy(refused)
    assert not await IdempotencyKey.exists(key=key)
    assert await Payment.filter(journey_id=journey.id).count() == 0
    # And the same request, once the journey has room, is paid once
    paid = await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **input)
    assert paid["stage"] != billed["stage"], paid
    assert await Payment.filter(journey_id=journey.id).count() == 1


async def test_a_refund_at_the_bound_claims_nothing_and_its_retry_is_given_once(
    fresh_clinic: Clinic,
) -> None:
    # Given a bill paid in full before the treatment, on a journey with as many steps running
    driver = await fresh_clinic()
    item = await set_item(driver, listPrice=eur("80.00"))
    billed, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    await driver.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "80.00", "FULL"))
    journey = await _journey(billed["id"])
    paid = await Payment.get(journey_id=journey.id)
    key = new_key()
    input = {
        "paymentId": encode_id(PAYMENT_ID_TYPE, paid.id),
        "amount": eur("80.00"),
        "reason": "changed her mind",
        "idempotencyKey": key,
    }
    with journey_full(journey.clinic_id, journey.id):
        # When the supervisor gives it back
        refused = await money_call(driver, RECORD_REFUND, Role.SUPERVISOR, **input)
    # Then it is told to come back: its key unclaimed, nothing given back
    assert_busy(refused)
    assert not await IdempotencyKey.exists(key=key)
    assert await RefundRow.filter(journey_id=journey.id).count() == 0
    # And the same request, once the journey has room, gives the money back once
    given = await money_call(driver, RECORD_REFUND, Role.SUPERVISOR, **input)
    assert given["__typename"] == "RefundPayload", given
    assert given["journey"]["stage"] == "REFUNDED", given
    assert await RefundRow.filter(journey_id=journey.id).count() == 1
