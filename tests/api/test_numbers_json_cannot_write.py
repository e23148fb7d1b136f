"""A number JSON cannot write, in a document's own literal: `1e999` reads as infinity.

A request's JSON body refuses NaN and Infinity (`server.request_body`), but a literal written in
the document is read by its scalar alone: the `JSON` scalar of `amendRecord`'s `correction` took
`{note: 1e999}` as infinity and the record kept it, for good (records are append-only). On
SQLite every answer that showed the amendment, its own first, then carried a bare `Infinity`,
which no JSON parser reads (a browser's `JSON.parse` throws); PostgreSQL refused the row, and
the caller heard "Unexpected error.". The input check refuses it now, as it refuses text no
column can store: `ValidationFailed` naming the number's place, nothing written.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from domain.roles import Role
from tests.api.flow import JourneyDriver
from tests.api.hostile import send_graphql

AMEND = """
mutation {
  amendRecord(input: {journeyId: "%s", seq: %d, reason: "typo", correction: %s}) {
    __typename
    ... on ValidationFailed { problems { field message code } }
  }
}
"""
HISTORY = """
query History($id: ID!) {
  journey(id: $id) {
    ... on Journey { history(first: 50) { seq action amendments { id correction } } }
  }
}
"""
NOT_FINITE = "a number too large for JSON (it reads as Infinity)"


def _strict_json(text: str) -> Any:
    """JSON as every client reads it: `Infinity` and `NaN` are no JSON."""

    def refuse(name: str) -> Any:
        raise AssertionError(f"the answer holds {name}, which JSON has not: {text[:300]}")

    return json.loads(text, parse_constant=refuse)


async def _consultation(driver: JourneyDriver, journey_id: str) -> dict[str, Any]:
    token = driver.token(Role.SUPERVISOR)
    answer = await send_graphql(driver.api, HISTORY, {"id": journey_id}, token)
    history = _strict_json(answer.text)["data"]["journey"]["history"]
    (event,) = [e for e in history if e["action"] == "record_consultation"]
    return event  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("literal", "field"),
    [
        ("{note: 1e999}", "input.correction.note"),
        ("{note: -1e999}", "input.correction.note"),
        ("{note: {parts: [1.5, 1e400]}}", "input.correction.note.parts[1]"),
    ],
    ids=["infinity", "minus-infinity", "nested"],
)
async def test_a_correction_holding_a_number_json_cannot_write_is_refused(
    driver: JourneyDriver, literal: str, field: str
) -> None:
    # Given a journey whose consultation was recorded
    journey = await driver.drive_to("EXPERT_REVIEW")
    event = await _consultation(driver, journey["id"])
    # When a supervisor corrects it with a number too large for a double, written in the document
    document = AMEND % (journey["id"], event["seq"], literal)
    answer = await send_graphql(driver.api, document, token=driver.token(Role.SUPERVISOR))
    # Then the answer is JSON a client reads, the correction is refused naming the number
    result = _strict_json(answer.text)["data"]["amendRecord"]
    assert result == {
        "__typename": "ValidationFailed",
        "problems": [{"field": field, "message": NOT_FINITE, "code": "BAD_FORMAT"}],
    }
    # And the record has no amendment
    assert (await _consultation(driver, journey["id"]))["amendments"] == []


async def test_a_correction_holding_a_large_finite_number_is_kept(driver: JourneyDriver) -> None:
    # Given a journey whose consultation was recorded
    journey = await driver.drive_to("EXPERT_REVIEW")
    event = await _consultation(driver, journey["id"])
    # When a supervisor corrects it with the largest numbers a double holds
    document = AMEND % (journey["id"], event["seq"], "{note: [1e308, -1e308, 0.1e-999]}")
    answer = await send_graphql(driver.api, document, token=driver.token(Role.SUPERVISOR))
    # Then the correction is recorded
    assert _strict_json(answer.text)["data"]["amendRecord"]["__typename"] == "AmendmentPayload"
    assert len((await _consultation(driver, journey["id"]))["amendments"]) == 1
