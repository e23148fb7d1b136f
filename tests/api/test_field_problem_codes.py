"""Each field problem of a `ValidationFailed` carries a code a client switches on, over the real
API: the shared checks decide it (text, lists, pages, amounts, currencies, keys), and a problem
the journey's workflow names keeps its code across Temporal. Messages stay as they were."""

from __future__ import annotations

import uuid
from typing import Any

from domain.roles import Role
from server.seed import DEMO_CLINIC_ID
from tests.api.flow import PLAN, JourneyDriver, assert_unchanged
from tests.api.harness import Api, Staff

PROBLEMS = "... on ValidationFailed { code message problems { field message code } }"
REGISTER_PARTNER = f"""
mutation Register($input: RegisterPartnerInput!) {{
  registerPartner(input: $input) {{ __typename {PROBLEMS} }}
}}"""
RECORD_PAYMENT = f"""
mutation Pay($input: RecordPaymentInput!) {{
  recordPayment(input: $input) {{ __typename {PROBLEMS} }}
}}"""
CREATE_STAFF = f"""
mutation Create($input: CreateStaffAccountInput!) {{
  createStaffAccount(input: $input) {{ __typename {PROBLEMS} }}
}}"""
JOURNEYS = f"""
query Page($first: Int!, $after: String) {{
  journeys(first: $first, after: $after) {{ __typename {PROBLEMS} }}
}}"""


def _key() -> str:
    return f"codes-{uuid.uuid4().hex}"


def _problems(answer: dict[str, Any]) -> list[dict[str, str]]:
    assert answer["__typename"] == "ValidationFailed", answer
    assert answer["code"] == "VALIDATION_FAILED"
    return answer["problems"]  # type: ignore[no-any-return]


async def test_text_missing_too_long_and_repeated_have_their_codes(driver: JourneyDriver) -> None:
    # When a supervisor registers a salon with no name, an agreement reference too long and
    # one premises photo twice
    data = await driver.api.run(
        REGISTER_PARTNER,
        driver.token(Role.SUPERVISOR),
        input={
            "name": " ",
            "agreementReference": "A" * 201,
            "premisesPhotoIds": ["front.jpg", "front.jpg"],
            "idempotencyKey": _key(),
        },
    )
    # Then each field's problem names its code, the message as before
    assert _problems(data["registerPartner"]) == [
        {"field": "name", "message": "required", "code": "REQUIRED"},
        {
            "field": "agreementReference",
            "message": "at most 200 characters",
            "code": "TOO_LONG",
        },
        {
            "field": "premisesPhotoIds[1]",
            "message": "repeats premisesPhotoIds[0]",
            "code": "DUPLICATE",
        },
    ]


async def test_a_key_too_long_or_blank_has_its_code(driver: JourneyDriver) -> None:
    token = driver.token(Role.SUPERVISOR)
    for key, message, code in [
        ("k" * 201, "1 to 200 characters", "TOO_LONG"),
        (" ", "shows nothing: send a random key (a UUID)", "REQUIRED"),
    ]:
        salon = {"name": "Salon Róża", "idempotencyKey": key}
        data = await driver.api.run(REGISTER_PARTNER, token, input=salon)
        assert _problems(data["registerPartner"]) == [
            {"field": "idempotencyKey", "message": message, "code": code}
        ]


async def test_a_page_too_large_and_a_cursor_not_ours_have_their_codes(
    driver: JourneyDriver,
) -> None:
    data = await driver.api.run(
        JOURNEYS, driver.token(Role.SUPERVISOR), first=101, after="not-a-cursor"
    )
    assert _problems(data["journeys"]) == [
        {"field": "first", "message": "1 to 100", "code": "OUT_OF_RANGE"},
        {"field": "after", "message": "not a cursor from this API", "code": "BAD_FORMAT"},
    ]


async def test_a_taken_username_is_a_duplicate(api: Api, staff: dict[Role, Staff]) -> None:
    request = {
        "clinicId": DEMO_CLINIC_ID,
        "username": staff[Role.NURSE].username,
        "displayName": "New Nurse",
        "role": Role.NURSE.name,
        "temporaryPassword": "first-password-77",
        "idempotencyKey": _key(),
    }
    data = await api.run(CREATE_STAFF, staff[Role.ADMIN].token, input=request)
    assert _problems(data["createStaffAccount"]) == [
        {"field": "username", "message": "already taken", "code": "DUPLICATE"}
    ]


async def test_an_unknown_currency_and_the_journeys_own_refusal_have_their_codes(
    driver: JourneyDriver,
) -> None:
    # Given a journey at payment whose approved plan is billed in EUR
    journey = await driver.journey((await driver.drive_to("PAYMENT"))["id"])
    for currency, message, code in [
        # no currency at all: refused by the API
        ("eur", "an ISO 4217 code such as EUR or PLN", "UNKNOWN_VALUE"),
        # another than the plan's: refused by the journey's workflow, across Temporal
        ("USD", "the bill is in EUR", "INCONSISTENT"),
    ]:
        # When the cashier pays in it
        payment = {
            "journeyId": journey["id"],
            "amount": PLAN["price"],
            "currency": currency,
            "method": "CARD",
            "kind": "FULL",
            "idempotencyKey": _key(),
        }
        data = await driver.api.run(RECORD_PAYMENT, driver.token(Role.CASHIER), input=payment)
        # Then the problem names its code, and nothing is paid
        assert _problems(data["recordPayment"]) == [
            {"field": "currency", "message": message, "code": code}
        ]
    await assert_unchanged(driver, journey)
