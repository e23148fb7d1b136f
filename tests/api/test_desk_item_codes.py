"""The item codes a desk change names must be codes of the clinic's price list
(`schema.triage.item_catalog`), checked before the desk hears of the change. Before, any one
word passed: "anna-kowalska-600100200", a client's name and phone number made one word, went
into the desk's Temporal history as an item code."""

from __future__ import annotations

import uuid
from typing import Any, NamedTuple

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from schema.ids import decode_id
from schema.triage import assign, mutations
from schema.triage import policy as policy_module
from schema.triage.item_catalog import UNKNOWN_CODE
from tests.api.conftest import TASK_QUEUE
from tests.api.harness import Api
from tests.api.money_support import SET_ITEM
from tests.api.test_desk_bounds import POLICY_PROBLEMS, problems
from tests.api.test_desk_notes import ASSIGN_PROBLEMS, SEAT_PROBLEMS
from tests.api.test_triage_api import _desk_clinic, _journey_at_triage
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

PERSONAL = "anna-kowalska-600100200"
SHAPE = "an item code is one word with a letter: letters, digits, _ . or -"


async def _listed(api: Api, supervisor: str, code: str) -> None:
    item = {
        "code": code,
        "kind": "PROCEDURE",
        "name": "Hyaluronic filler, cheeks 1 ml",
        "listPrice": {"amount": "1200.00", "currency": "EUR"},
        "validFrom": "2024-01-01",
    }
    listed = await api.run(SET_ITEM, supervisor, input=item)
    assert listed["setPriceListItem"]["__typename"] == "PriceListItemPayload", listed


class _ListingDesk(NamedTuple):
    clinic: str
    desk: str  # the front desk's token
    supervisor: str  # the supervisor's token
    consultants: list[str]
    journey: str  # a journey at the desk's triage


async def _desk_listing(api: Api, code: str) -> _ListingDesk:
    """A desk whose clinic's price list names `code`, and a journey at its triage."""
    clinic, staff, consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    await _listed(api, supervisor, code)
    journey = await _journey_at_triage(api, desk, 1)
    return _ListingDesk(clinic, desk, supervisor, consultants, journey)


async def _history(env: WorkflowEnvironment, clinic: str) -> bytes:
    history = await env.client.get_workflow_handle(desk_workflow_id(clinic)).fetch_history()
    return b"".join(event.SerializeToString() for event in history.events)


async def test_a_code_not_on_the_clinics_price_list_is_refused_before_the_desk_hears_it(
    api: Api, temporal_env: WorkflowEnvironment
) -> None:
    # Given a desk whose clinic lists FILLER-CHEEKS, and another clinic that lists a code of its own
    clinic, desk, supervisor, consultants, journey = await _desk_listing(api, "FILLER-CHEEKS")
    _, elsewhere, _ = await _desk_clinic(api)
    await _listed(api, elsewhere[Role.SUPERVISOR].token, "THREAD-LIFT")
    gateway = TriageGateway(temporal_env.client, TASK_QUEUE)
    before = (await gateway.desk(clinic)).seq
    seat = {"consultantId": consultants[0], "reason": "her items"}
    policy = {"name": "ours", "reason": "the clinic's items", "acceptanceMinutes": 10}

    # When each desk change names a code of the right shape that is not the clinic's
    refused: list[dict[str, Any]] = []
    for unknown in (PERSONAL, "thread-lift"):
        refused += [
            await api.run(ASSIGN_PROBLEMS, desk, input={"journeyId": journey, "items": [unknown]}),
            await api.run(SEAT_PROBLEMS, desk, input={**seat, "scope": [unknown]}),
            await api.run(POLICY_PROBLEMS, supervisor, input={**policy, "offeredItems": [unknown]}),
            await api.run(POLICY_PROBLEMS, supervisor, input={**policy, "keyItems": [unknown]}),
        ]

    # Then each is a field error, and the desk heard of none, its history without the words
    fields = ["items", "scope", "offeredItems", "keyItems"] * 2
    assert [problems(answer) for answer in refused] == [[(f, UNKNOWN_CODE)] for f in fields]
    assert (await gateway.desk(clinic)).seq == before
    assert PERSONAL.encode() not in await _history(temporal_env, clinic)


async def test_the_shape_is_checked_first_and_a_listed_code_is_taken_in_any_case(
    api: Api, temporal_env: WorkflowEnvironment
) -> None:
    clinic, desk, supervisor, consultants, journey = await _desk_listing(api, "FILLER-CHEEKS")

    # A code of the wrong shape is answered as before, without a look at the price list
    spaced = await api.run(
        ASSIGN_PROBLEMS, desk, input={"journeyId": journey, "items": ["Anna Kowalska 600100200"]}
    )
    assert problems(spaced) == [("items", SHAPE)]

    # A listed code is taken as the desk matches codes (lower-cased), in a seat, a policy and
    # an arrival
    seat = {"consultantId": consultants[0], "reason": "fillers", "scope": ["Filler-Cheeks"]}
    policy = {"name": "ours", "reason": "key item", "keyItems": ["filler-cheeks"]}
    arrival = {"journeyId": journey, "items": ["filler-cheeks"]}
    taken = [
        await api.run(SEAT_PROBLEMS, desk, input=seat),
        await api.run(POLICY_PROBLEMS, supervisor, input={**policy, "acceptanceMinutes": 10}),
        await api.run(ASSIGN_PROBLEMS, desk, input=arrival),
    ]
    assert [next(iter(answer.values()))["__typename"] for answer in taken] == [
        "TriageBoardPayload",
        "TriageBoardPayload",
        "AutoAssignPayload",
    ]
    board = await TriageGateway(temporal_env.client, TASK_QUEUE).desk(clinic)
    assert board.policy.key_items == ("filler-cheeks",)
    assert board.assignments[decode_id(journey, "Journey") or ""].item == "filler-cheeks"


async def test_a_retry_of_a_change_the_desk_took_before_the_rule_is_answered_as_the_first_time(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a seat change, a policy and an arrival naming a code the clinic's price list does
    # not, each taken by the desk under the release before the rule (which checked the shape)
    _, staff, consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    journey = await _journey_at_triage(api, desk, 1)
    seat = {"consultantId": consultants[0], "reason": "her items", "scope": ["peel"]}
    policy = {
        "name": "ours",
        "reason": "the clinic's items",
        "acceptanceMinutes": 10,
        "offeredItems": ["peel", "skin"],
    }
    arrival = {"journeyId": journey, "items": ["peel"]}
    requests = [
        (SEAT_PROBLEMS, desk, {**seat, "idempotencyKey": str(uuid.uuid4())}),
        (POLICY_PROBLEMS, supervisor, {**policy, "idempotencyKey": str(uuid.uuid4())}),
        (ASSIGN_PROBLEMS, desk, {**arrival, "idempotencyKey": str(uuid.uuid4())}),
    ]

    async def unchecked(*_: Any) -> None:
        return None

    with monkeypatch.context() as before_the_rule:
        for module in (mutations, policy_module, assign):
            before_the_rule.setattr(module, "unknown_code", unchecked)
        first = [await api.run(document, token, input=input) for document, token, input in requests]
    assert [next(iter(answer.values()))["__typename"] for answer in first] == [
        "TriageBoardPayload",
        "TriageBoardPayload",
        "AutoAssignPayload",
    ]

    # When each is retried with its key after the release with the rule is deployed
    again = [await api.run(document, token, input=input) for document, token, input in requests]

    # Then each is answered as the first time, not refused
    assert again == first
    # While the same changes under new keys are refused
    fresh = [
        await api.run(document, token, input={**input, "idempotencyKey": str(uuid.uuid4())})
        for document, token, input in requests[:2]
    ]
    assert [problems(answer) for answer in fresh] == [
        [("scope", UNKNOWN_CODE)],
        [("offeredItems", UNKNOWN_CODE)],
    ]
