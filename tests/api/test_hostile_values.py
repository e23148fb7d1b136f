"""Values no column can store or no rule expects: NUL characters, unpaired surrogates, input
nested absurdly deep, numbers that are too large. Each is a typed `ValidationFailed` where the
field answers one, else a GraphQL error (a `Decimal` that is not finite: the scalar refuses it);
never "Unexpected error."
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.roles import Role
from schema.input_check import MAX_INPUT_DEPTH, TOO_DEEP
from tests.api import documents
from tests.api.flow import JourneyDriver, assert_unchanged
from tests.api.harness import Api
from tests.api.hostile import send_graphql

UNSTORABLE = "contains a NUL character or an unpaired surrogate"
UNREADABLE = "contains a control or text-direction character"
CLIENTS = "{ clients { __typename ... on ClientConnection { edges { node { id } } } } }"
SET_SLA = "mutation S($input: SetStageSlaInput!) { setStageSla(input: $input) { __typename } }"
AMEND = """
mutation Amend($input: AmendRecordInput!) {
  amendRecord(input: $input) {
    __typename ... on ValidationFailed { code problems { field message } }
  }
}
"""


def registration(full_name: str) -> dict[str, Any]:
    return {
        "fullName": full_name,
        "birthDate": "1988-04-12",
        "phone": "+48 600",
        "dataConsent": True,
        "registerAnyway": True,  # shared test data, another person
    }


@pytest.mark.parametrize("text", ["Ewa\x00Nowak", "Ewa \ud800 Nowak", "\udfff"])
async def test_unstorable_text_is_a_typed_error_and_nothing_is_stored(
    api: Api, fresh_clinic: Callable[[], Awaitable[JourneyDriver]], text: str
) -> None:
    # Given a clinic with no clients
    clinic = await fresh_clinic()
    token = clinic.token(Role.FRONT_DESK)
    # When the front desk registers a client whose name no database can hold
    answer = await send_graphql(
        api, documents.REGISTER_CLIENT, {"input": registration(text)}, token=token
    )
    # Then it is refused as input, naming the field, and no client exists
    result = answer.json()["data"]["registerClient"]
    assert result["__typename"] == "ValidationFailed"
    assert result["problems"] == [{"field": "input.fullName", "message": UNSTORABLE}]
    clients = (await send_graphql(api, CLIENTS, token=token)).json()["data"]["clients"]
    assert clients == {"__typename": "ClientConnection", "edges": []}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\u200b\u200b\u200b", "required"),
        ("Ewa\u202eNowak", f"{UNREADABLE} (U+202E at character 4)"),
        ("Ewa\x1b[2JNowak", f"{UNREADABLE} (U+001B at character 4)"),
        (
            "Ewa\U000e0041\U000e0042 Nowak",
            "contains an invisible character no text may hold (U+E0041 at character 4)",
        ),
        (
            "\u2067Ewa Nowak",
            "contains a text-direction character not ended on its line (U+2067 at character 1)",
        ),
    ],
)
async def test_a_name_that_shows_nothing_or_something_else_is_refused(
    api: Api, fresh_clinic: Callable[[], Awaitable[JourneyDriver]], text: str, message: str
) -> None:
    # Given a clinic with no clients
    clinic = await fresh_clinic()
    token = clinic.token(Role.FRONT_DESK)
    # When the front desk registers a client whose name is invisible, reversed on screen, or
    # clears a terminal that prints it
    input = {**registration(text), "phone": "+48 600 100 200"}
    answer = await send_graphql(api, documents.REGISTER_CLIENT, {"input": input}, token=token)
    # Then it is refused, naming the field, and no client exists
    result = answer.json()["data"]["registerClient"]
    assert result["__typename"] == "ValidationFailed"
    assert result["problems"] == [{"field": "fullName", "message": message}]
    clients = (await send_graphql(api, CLIENTS, token=token)).json()["data"]["clients"]
    assert clients == {"__typename": "ClientConnection", "edges": []}


@pytest.mark.parametrize(
    "text",
    [
        "Małgorzata Wójcik-Źdźbło",
        "Ярослава Щербакова",
        "张伟",
        "Ewa 👩\u200d⚕️ Nowak 🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f",
        "\u2067שרה\u2069 Cohen",
    ],
)
async def test_names_in_any_script_and_emoji_are_kept_as_written(
    api: Api, fresh_clinic: Callable[[], Awaitable[JourneyDriver]], text: str
) -> None:
    clinic = await fresh_clinic()
    token = clinic.token(Role.FRONT_DESK)
    input = {**registration(text), "phone": "+48 600 100 200"}
    answer = await send_graphql(api, documents.REGISTER_CLIENT, {"input": input}, token=token)
    result = answer.json()["data"]["registerClient"]
    assert result["__typename"] == "ClientPayload", result
    assert result["client"]["fullName"] == text


async def test_unstorable_text_in_a_sign_in_is_a_typed_error(api: Api) -> None:
    answer = await send_graphql(
        api, documents.LOGIN, {"input": {"username": "front-desk\x00", "password": "\ud800"}}
    )
    result = answer.json()["data"]["login"]
    assert result["__typename"] == "ValidationFailed"
    assert result["message"] == f"input.username: {UNSTORABLE}"


@pytest.mark.parametrize("raw_id", ["\x00", "Journey:\x00", "\ud800"])
async def test_unstorable_ids_are_errors_not_crashes(
    api: Api, driver: JourneyDriver, raw_id: str
) -> None:
    token = driver.token(Role.SUPERVISOR)
    for global_id in (raw_id, base64.b64encode(raw_id.encode("utf-8", "surrogatepass")).decode()):
        node = (await send_graphql(api, documents.NODE, {"id": global_id}, token=token)).json()
        lookup = (await send_graphql(api, documents.JOURNEY, {"id": global_id}, token=token)).json()
        for answer, field in ((node, "node"), (lookup, "journey")):
            messages = [e["message"] for e in answer.get("errors", [])]
            assert "Unexpected error." not in messages, answer
            # An id that is text no column holds is refused; one that decodes to it is unknown
            refused = messages == [f"{field}: id: {UNSTORABLE}"]
            found = answer["data"][field] if not messages else {}
            unknown = found is None or found.get("__typename") == "NotFound"
            assert refused or unknown, answer


async def test_unstorable_text_where_no_validation_failed_is_answered_names_the_argument(
    api: Api, driver: JourneyDriver
) -> None:
    # When a node is asked by an id no column can hold
    token = driver.token(Role.SUPERVISOR)
    answer = await send_graphql(api, documents.NODE, {"id": "Journey:\x00"}, token=token)
    # Then the error entry names the argument and the problem's code, as a field problem would
    (error,) = answer.json()["errors"]
    assert {"message": error["message"], **error["extensions"]} == {
        "message": f"node: id: {UNSTORABLE}",
        "code": "VALIDATION_FAILED",
        "field": "id",
        "problemCode": "BAD_FORMAT",
    }


async def test_input_nested_absurdly_deep_is_a_typed_error(api: Api, driver: JourneyDriver) -> None:
    correction: Any = "deep"
    for _ in range(200):
        correction = {"a": correction}
    answer = await send_graphql(
        api,
        AMEND,
        {"input": {"journeyId": "x", "seq": 1, "reason": "typo", "correction": correction}},
        token=driver.token(Role.SUPERVISOR),
    )
    result = answer.json()["data"]["amendRecord"]
    assert result["__typename"] == "ValidationFailed"
    (problem,) = result["problems"]
    assert problem["message"] == f"nested more than {MAX_INPUT_DEPTH} levels deep"
    assert problem["field"].startswith("input.correction.a.a")


@pytest.mark.parametrize(
    ("journey_id", "problem"),
    [
        ("x", {"field": "input.correction" + ".a" * (MAX_INPUT_DEPTH - 1), "message": TOO_DEEP}),
        # the first problem the check finds is a NUL, and the input is still too deep to digest
        ("x\x00", {"field": "input.journeyId", "message": UNSTORABLE}),
    ],
    ids=["too deep", "NUL beside it"],
)
async def test_input_nested_hundreds_deep_under_a_key_is_a_typed_error_or_a_conflict(
    api: Api,
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
    journey_id: str,
    problem: dict[str, str],
) -> None:
    # Given a supervisor who set a stage's SLA under a key
    clinic = await fresh_clinic()
    token = clinic.token(Role.SUPERVISOR)
    used = f"key-{uuid.uuid4()}"
    sla = {"stage": "TRIAGE", "seconds": 900, "idempotencyKey": used}
    set_sla = await send_graphql(api, SET_SLA, {"input": sla}, token=token)
    assert set_sla.json()["data"]["setStageSla"]["__typename"] == "StageSlasPayload"
    # When a correction nested some hundreds deep (a body reads it) is sent under a fresh key
    # and under the used one
    correction: Any = "deep"
    for _ in range(600):
        correction = {"a": correction}
    deep = {"journeyId": journey_id, "seq": 1, "reason": "typo", "correction": correction}
    answers = [
        (
            await send_graphql(api, AMEND, {"input": {**deep, "idempotencyKey": key}}, token=token)
        ).json()["data"]["amendRecord"]
        for key in (f"key-{uuid.uuid4()}", used)
    ]
    # Then the fresh key hears what is wrong with the input, the used one that it is taken
    # (each asked the ledger with a digest of the input, which recursed as deep as it nests:
    # "Unexpected error.")
    assert [answer["__typename"] for answer in answers] == ["ValidationFailed", "Conflict"]
    assert answers[0]["problems"] == [problem]


async def test_an_integer_beyond_32_bits_is_a_graphql_error(
    api: Api, driver: JourneyDriver
) -> None:
    query = "query Q($n: Int!) { journeys(first: $n) { __typename } }"
    token = driver.token(Role.SUPERVISOR)
    for huge in (2**31, 10**30, -(10**300)):
        messages = (await send_graphql(api, query, {"n": huge}, token=token)).error_messages()
        assert "Int cannot represent non 32-bit signed integer value" in messages[0]


async def test_amounts_that_are_not_finite_or_too_large_are_refused(driver: JourneyDriver) -> None:
    # Given a journey waiting for payment
    # (read back as a supervisor, as `assert_unchanged` reads it: the nurse who signed
    # the consent reads no plan price)
    journey = await driver.journey((await driver.drive_to("PAYMENT"))["id"])
    token = driver.token(Role.CASHIER)
    # (and one in other digits than ASCII, which `Decimal` reads: full-width "1200" was 1200)
    other_digits = "\uff11\uff12\uff10\uff10.00"
    for amount in (
        "NaN",
        "-NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        "1e999999",
        "1E+400",
        1e308,
        other_digits,
    ):
        # When the cashier records an amount no number type should hold
        variables = {
            "input": {
                "journeyId": journey["id"],
                "amount": amount,
                "currency": "EUR",
                "method": "CARD",
                "kind": "FULL",
            }
        }
        answer = await send_graphql(driver.api, documents.RECORD_PAYMENT, variables, token=token)
        # Then the Decimal scalar refuses it, naming the field
        (message,) = answer.error_messages()
        assert "at .amount: Decimal cannot represent" in message, (amount, message)
    for amount in ("1e20", "100000000000000"):
        # When the amount is a plain number beyond any price
        result = await driver.act(
            documents.RECORD_PAYMENT,
            Role.CASHIER,
            journeyId=journey["id"],
            amount=amount,
            currency="EUR",
            method="CARD",
            kind="FULL",
        )
        # Then it is refused as input
        assert result["__typename"] == "ValidationFailed", (amount, result)
        assert [p["field"] for p in result["problems"]] == ["amount"]
    # And nothing is paid
    await assert_unchanged(driver, journey)


@pytest.mark.parametrize(
    ("correction", "message"),
    [
        ({"occupation": "Ewa\u202eNowak"}, f"{UNREADABLE} (U+202E at character 4)"),
        ({"notes": ["fine", "ring\u0007"]}, f"{UNREADABLE} (U+0007 at character 5)"),
        ({"\u001b[2J": "x"}, f"{UNREADABLE} (U+001B at character 1)"),
        ({"dose": 2**53}, "a whole number beyond 9,007,199,254,740,991 either way"),
    ],
    ids=["override", "bell-in-a-list", "escape-in-a-key", "inexact-integer"],
)
async def test_a_correction_holds_what_staff_text_may(
    driver: JourneyDriver, correction: dict[str, Any], message: str
) -> None:
    # Given a recorded consultation
    journey = await driver.consult((await driver.drive_to("CONSULTATION"))["id"])
    (event,) = [e for e in journey["history"] if e["action"] == "record_consultation"]
    # When its author amends it with a value no record should show
    input = {"journeyId": journey["id"], "seq": event["seq"], "reason": "typo"}
    answer = await send_graphql(
        driver.api,
        AMEND,
        {"input": {**input, "correction": correction}},
        token=driver.token(Role.CONSULTANT),
    )
    # Then it is refused naming the correction, and the record has no amendment
    result = answer.json()["data"]["amendRecord"]
    assert result == {
        "__typename": "ValidationFailed",
        "code": "VALIDATION_FAILED",
        "problems": [{"field": "correction", "message": message}],
    }
    assert (await driver.journey(journey["id"]))["history"] == journey["history"]


async def test_a_name_registered_over_lines_is_kept_on_one(
    api: Api, fresh_clinic: Callable[[], Awaitable[JourneyDriver]]
) -> None:
    # Given a clinic
    clinic = await fresh_clinic()
    token = clinic.token(Role.FRONT_DESK)
    # When the desk registers a name that would print as two lines in any list of clients
    input = {**registration("Anna\r\nDr X:\tapproved "), "phone": "+48 600 100 200"}
    answer = await send_graphql(api, documents.REGISTER_CLIENT, {"input": input}, token=token)
    # Then it is kept on one line, as a correction of the name keeps it
    assert answer.json()["data"]["registerClient"]["client"]["fullName"] == "Anna Dr X: approved"
