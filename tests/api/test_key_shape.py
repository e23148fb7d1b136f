"""An idempotency key no client means: blank (a space, spaces and tabs, characters that show
nothing) or holding a control character. Each was claimed and answered (found by a hostile
pass: a key of one space stood for the first request of every client that sent its key unset
as " "); now each is refused on `idempotencyKey` before any resolver runs, on every mutation,
and a key claimed before the rule is still answered as its first attempt was."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain import idempotency
from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import Api
from tests.api.hostile import send_graphql

BLANK = "shows nothing: send a random key (a UUID)"
KEYS = [
    (" ", BLANK),
    (" \t\u3000 ", BLANK),
    ("\u200b\u200b", BLANK),
    ("\n", BLANK),
    ("key\n", "contains a control character (U+000A)"),
    ("k\x1bey", "contains a control character (U+001B)"),
]


def registration(key: str, phone: str = "+48 600 100 200") -> dict[str, Any]:
    return {
        "fullName": "Ewa Nowak",
        "birthDate": "1988-04-12",
        "phone": phone,
        "dataConsent": True,
        "idempotencyKey": key,
    }


@pytest.mark.parametrize(("key", "message"), KEYS)
async def test_a_blank_or_control_key_is_refused_on_a_journey_step(
    driver: JourneyDriver, key: str, message: str
) -> None:
    journey = await driver.start()
    refused = await driver.act(
        documents.CANCEL_JOURNEY,
        Role.SUPERVISOR,
        journeyId=journey["id"],
        reason="test",
        idempotencyKey=key,
    )
    assert refused["__typename"] == "ValidationFailed"
    assert refused["problems"] == [{"field": "idempotencyKey", "message": message}]
    assert (await driver.journey(journey["id"]))["stage"] == journey["stage"]


@pytest.mark.parametrize(("key", "message"), KEYS[:1] + KEYS[-1:])
async def test_a_blank_or_control_key_is_refused_on_a_registration(
    api: Api, fresh_clinic: Callable[[], Awaitable[JourneyDriver]], key: str, message: str
) -> None:
    clinic = await fresh_clinic()
    token = clinic.token(Role.FRONT_DESK)
    answer = await send_graphql(
        api, documents.REGISTER_CLIENT, {"input": registration(key)}, token=token
    )
    result = answer.json()["data"]["registerClient"]
    assert result["__typename"] == "ValidationFailed"
    assert result["problems"] == [{"field": "idempotencyKey", "message": message}]
    clients = await send_graphql(
        api, "{ clients { ... on ClientConnection { edges { cursor } } } }", token=token
    )
    assert clients.json()["data"]["clients"]["edges"] == []


async def test_a_blank_key_claimed_before_the_rule_is_still_answered(
    api: Api,
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a client registered under the key " " by a release that took it
    clinic = await fresh_clinic()
    token = clinic.token(Role.FRONT_DESK)
    with monkeypatch.context() as earlier:
        earlier.setattr(idempotency, "new_key_problem", lambda key: None)
        first = await send_graphql(
            api, documents.REGISTER_CLIENT, {"input": registration(" ")}, token=token
        )
    registered = first.json()["data"]["registerClient"]
    assert registered["__typename"] == "ClientPayload"
    # When the desk retries it after the upgrade (its answer was lost)
    retry = await send_graphql(
        api, documents.REGISTER_CLIENT, {"input": registration(" ")}, token=token
    )
    # Then it is answered as the first time, and the key still stands for that request only
    assert retry.json()["data"]["registerClient"] == registered
    other = await send_graphql(
        api,
        documents.REGISTER_CLIENT,
        {"input": registration(" ", phone="+48 600 100 201")},
        token=token,
    )
    assert other.json()["data"]["registerClient"]["__typename"] == "Conflict"
