"""Input past what a column, the calendar or the key ledger takes: each a typed answer, never
"Unexpected error." (found by a hostile pass over the running API; each test failed before).

- a sign-in name longer than the username column (Tortoise refused it mid-query);
- a template key longer than its column, in a query's filter; a procedure type's key longer
  than its column, cut to the column's length, listed the versions of the type whose key is
  its first 100 characters;
- months whose first or last instant a datetime cannot hold (0001-01, 9999-12), and months
  written in other digits than ASCII;
- an empty idempotency key, which some mutations refused and journey steps took as no key;
- a document of several operations sent without `operationName` (the first ran), and a
  subscription sent over HTTP (executed as a query, a fault);
- a page cursor at a time the database driver cannot move to UTC (year 1 at +14:00), and one
  made by hand without a zone (compared with the rows' zoned times: a TypeError);
- a treatment naming more products than any treatment uses (each a row written after the
  journey accepted the step: 25,000 of them ran past the request's time half-written);
- a WebSocket message of the wrong shape (Strawberry's handler failed on it, the socket dropped
  without a close code);
- a moment whose offset puts it in year 0 or 10000 in UTC (each resolver's conversion raised).
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from domain.roles import Role
from domain.store.client_file import ClientEntry
from schema.journeys.treatment import MAX_PRODUCTS
from schema.operation_choice import OVER_WEBSOCKET_ONLY
from tests.api import documents, procedure_support
from tests.api.audit_support import clinic_of
from tests.api.consent_support import TEMPLATES
from tests.api.flow import JourneyDriver, assert_unchanged, end_journey
from tests.api.harness import Api, signed_in_socket
from tests.api.hostile import send_graphql
from tests.api.partner_documents import STATEMENT
from tests.api.post_op_support import (
    RECORD_OBSERVATION,
    RECORD_WARD_ROUND,
    VITALS,
    operate,
    surgery_under_way,
)
from tests.api.test_partners import FIGURES

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
EDGE_MONTHS = ["0001-01", "9999-12", "\uff12\uff10\uff12\uff16-01", "2026-01\n"]
AN_UNKNOWN_PARTNER = "UGFydG5lcjp4"
CLIENTS_AFTER = """
query($after: String) { clients(first: 5, after: $after) { __typename } }
"""


async def test_a_sign_in_name_longer_than_any_account_is_a_typed_error(api: Api) -> None:
    answer = await api.run(documents.LOGIN, input={"username": "u" * 101, "password": "x"})
    assert answer["login"] == {
        "__typename": "ValidationFailed",
        "code": "VALIDATION_FAILED",
        "message": "username: at most 100 characters",
    }


async def test_a_template_key_longer_than_any_is_no_template(driver: JourneyDriver) -> None:
    answer = await driver.api.run(TEMPLATES, driver.token(Role.SUPERVISOR), key="k" * 101)
    assert answer["consentTemplates"] == []


async def test_a_type_key_longer_than_any_is_no_type(fresh_clinic: FreshClinic) -> None:
    # Given a clinic with a procedure type whose key is as long as the column holds
    clinic = await fresh_clinic()
    key = "t" * 100
    made = await procedure_support.set_type(clinic, procedure_support.type_input(key))
    assert made["typeKey"] == key, made
    for latest_only in (False, True):
        # When its versions are asked for under a longer key that begins with it
        answer = await clinic.api.run(
            procedure_support.TYPES,
            clinic.token(Role.NURSE),
            typeKey=key + "-other",
            latestOnly=latest_only,
        )
        # Then that key names no type: none of its versions are listed
        assert answer["procedureTypes"] == [], (latest_only, answer)


@pytest.mark.parametrize("month", EDGE_MONTHS)
async def test_a_month_past_the_calendar_is_refused_not_a_fault(
    driver: JourneyDriver, month: str
) -> None:
    clinic = await clinic_of(driver)
    figures = await driver.api.run(
        FIGURES, driver.token(Role.SUPERVISOR), clinicId=clinic, month=month
    )
    assert figures["consultantFigures"] == []
    statement = await driver.api.run(
        STATEMENT, driver.token(Role.CASHIER), partnerId=AN_UNKNOWN_PARTNER, month=month
    )
    assert statement["partnerStatement"] == {
        "__typename": "ValidationFailed",
        "code": "VALIDATION_FAILED",
        "message": "month: a month as YYYY-MM, years 1900 to 9998",
    }


async def test_an_empty_idempotency_key_on_a_journey_step_is_refused(
    driver: JourneyDriver,
) -> None:
    journey = await driver.start()
    refused = await driver.act(
        documents.CANCEL_JOURNEY,
        Role.SUPERVISOR,
        journeyId=journey["id"],
        reason="test",
        idempotencyKey="",
    )
    assert refused["__typename"] == "ValidationFailed"
    assert refused["problems"] == [{"field": "idempotencyKey", "message": "1 to 200 characters"}]
    assert (await driver.journey(journey["id"]))["stage"] == journey["stage"]


@pytest.mark.parametrize(
    ("document", "refusal"),
    [
        (
            "query A { me { __typename } } query B { me { __typename } }",
            "the document holds 2 operations: name one in `operationName`",
        ),
        ("subscription { tasksChanged { change } }", OVER_WEBSOCKET_ONLY),
    ],
    ids=["several operations without a name", "a subscription over HTTP"],
)
async def test_an_operation_that_cannot_be_chosen_runs_nothing(
    api: Api, driver: JourneyDriver, document: str, refusal: str
) -> None:
    answer = (await send_graphql(api, document, token=driver.token(Role.SUPERVISOR))).json()
    assert answer["data"] is None
    assert [e["message"] for e in answer["errors"]] == [refusal]


@pytest.mark.parametrize(
    "message",
    [
        [1, 2],
        {"type": 7},
        {"type": "subscribe", "id": "1", "payload": None},
        {"type": "subscribe", "id": "1", "payload": {"query": 5}},
        {
            "type": "subscribe",
            "id": "1",
            "payload": {"query": "{ me { __typename } }", "variables": []},
        },
    ],
)
async def test_a_malformed_socket_message_closes_the_socket_as_the_protocol_says(
    api: Api, driver: JourneyDriver, message: object
) -> None:
    async with signed_in_socket(api, driver.token(Role.SUPERVISOR)) as ws:
        await ws.send_json(message)
        closing = await ws.receive()
        assert closing.type is aiohttp.WSMsgType.CLOSE, closing
        assert ws.close_code == 4400


@pytest.mark.parametrize(
    ("document", "said"),
    [
        ("{ me { ", "Syntax Error"),
        ("subscription { journeyChanged(journeyId: ", "Syntax Error"),
        ("{ " + "me { __typename } " * 700 + "}", "more than 2000 tokens"),
    ],
    ids=["query", "subscription", "tokens"],
)
async def test_a_document_that_does_not_parse_over_the_socket_closes_it_saying_why(
    api: Api, driver: JourneyDriver, caplog: pytest.LogCaptureFixture, document: str, said: str
) -> None:
    # When a document that does not parse is sent over the socket
    with caplog.at_level(logging.INFO):
        async with signed_in_socket(api, driver.token(Role.SUPERVISOR)) as ws:
            await ws.send_json({"id": "q", "type": "subscribe", "payload": {"query": document}})
            closing = await ws.receive()
    # Then the socket is closed as the protocol says, with why (the client heard "complete")
    assert closing.type is aiohttp.WSMsgType.CLOSE, closing
    assert (ws.close_code, said in closing.extra) == (4400, True), closing
    # And the log takes no traceback for it (it took one at ERROR for each)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("moment", "page"),
    [
        ("0001-01-01T00:00:00+14:00", "ValidationFailed"),
        ("9999-12-31T23:00:00-14:00", "ValidationFailed"),
        ("2999-01-01T00:00:00", "ClientConnection"),  # no zone: read as UTC
    ],
)
async def test_a_cursor_at_the_calendar_s_edge_or_without_a_zone_is_an_answer(
    driver: JourneyDriver, moment: str, page: str
) -> None:
    await driver.register_client()
    clients = await driver.api.run(
        CLIENTS_AFTER, driver.token(Role.FRONT_DESK), after=_cursor(f"{moment}|x")
    )
    assert clients["clients"]["__typename"] == page


async def test_a_treatment_naming_too_many_products_is_refused_before_the_journey_moves(
    driver: JourneyDriver,
) -> None:
    journey = await driver.drive_to("TREATMENT")
    product = {"name": "Filler X", "lotNumber": "LOT-42", "dose": "1 ml"}
    refused = await driver.act(
        documents.COMPLETE_TREATMENT,
        Role.NURSE,
        journeyId=journey["id"],
        performerId=driver.staff[Role.NURSE].global_id,
        procedure="fillers",
        products=[product] * (MAX_PRODUCTS + 1),
    )
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["products"]
    await assert_unchanged(driver, journey)
    await end_journey(driver, journey["id"])


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
async def test_a_moment_past_the_calendar_in_utc_is_refused_as_input(
    api: Api, fresh_clinic: Callable[[], Awaitable[JourneyDriver]], moment: str
) -> None:
    # Given a surgery operated on
    clinic = await fresh_clinic()
    jid = await surgery_under_way(clinic)
    await operate(clinic, jid)
    before = await ClientEntry.all().count()
    # When the ward records its observation and round at a moment in year 0 or 10000 in UTC
    observation = {
        "journeyId": jid,
        "observedAt": moment,
        "anaesthesia": "LOCAL",
        "vitals": VITALS,
        "idempotencyKey": str(uuid.uuid4()),
    }
    ward_round = {
        "journeyId": jid,
        "visitedAt": moment,
        "recoveringAsExpected": True,
        "findings": "wound clean",
        "nextStep": "discharge",
        "idempotencyKey": str(uuid.uuid4()),
    }
    for document, input, role in (
        (RECORD_OBSERVATION, observation, Role.NURSE),
        (RECORD_WARD_ROUND, ward_round, Role.EXPERT),
    ):
        answer = await send_graphql(api, document, {"input": input}, token=clinic.token(role))
        # Then the scalar refuses it, saying what it expects (each resolver's conversion to UTC
        # raised: "Unexpected error."), and nothing is written
        (error,) = answer.json()["errors"]
        assert error["message"].endswith(
            f'DateTime cannot represent "{moment}": expected an ISO 8601 moment such as '
            "2026-03-02T10:00:00Z."
        )
    assert await ClientEntry.all().count() == before
