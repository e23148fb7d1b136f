"""Variables holding more values than any input of the API takes are refused before graphql-core
reads them (found by a hostile pass over the running API; the tests failed before).

A request's variables were coerced value by value on the event loop, before any permission was
checked: 200,000 one-character ids in a list, one request of 1 MB sent by anyone, held every
other request of the process 1.2 s (valid) to 2.6 s (invalid, with its message built) on an idle
machine; on the test machine /healthz went unanswered past its bound. The largest input the
schema takes holds a few thousand values (a rotation policy's 500 items per list).
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from domain.roles import Role
from domain.triage.bounds import MAX_CONSULTANTS_NAMED
from schema.variable_size import MAX_VARIABLE_VALUES
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, signed_in_socket
from tests.api.hostile import send_raw

ORDER = """mutation M($input: RotationOrderInput!) {
  setRotationOrder(input: $input) { __typename }
}"""
REFUSAL = (
    f"'M' sends more than {MAX_VARIABLE_VALUES:,} values in its variables: send fewer or "
    "shorter lists"
)


def _order(consultants: int) -> dict[str, Any]:
    return {"input": {"consultantIds": ["a"] * consultants, "idempotencyKey": "k"}}


async def test_variables_past_the_bound_are_refused_at_once_from_anyone(api: Api) -> None:
    # Given an anonymous request whose variables hold 200,000 values in one list
    body = json.dumps({"query": ORDER, "variables": _order(200_000)})
    # When it is sent, /healthz is answered meanwhile (send_raw), and the request is refused
    # before its variables are read, saying why
    answer = await send_raw(api, body)
    assert (answer.status, answer.error_messages()) == (200, [REFUSAL])


async def test_variables_past_the_bound_are_refused_over_the_socket_too(
    api: Api, driver: JourneyDriver
) -> None:
    payload = {"query": ORDER, "variables": _order(MAX_VARIABLE_VALUES + 1)}
    async with signed_in_socket(api, driver.token(Role.SUPERVISOR)) as ws:
        await ws.send_json({"id": "big", "type": "subscribe", "payload": payload})
        message = await ws.receive()
    assert message.type is aiohttp.WSMsgType.TEXT, message
    answer = json.loads(message.data)
    assert (answer["type"], [e["message"] for e in answer["payload"]]) == ("error", [REFUSAL])


async def test_variables_within_the_bound_reach_the_field(driver: JourneyDriver) -> None:
    # A list past the field's own bound, within this one, is the field's to refuse
    answer = await driver.api.run(
        ORDER, driver.token(Role.SUPERVISOR), **_order(MAX_CONSULTANTS_NAMED + 1)
    )
    assert answer["setRotationOrder"]["__typename"] == "ValidationFailed", answer
