"""An answer's size is bounded while it is built, not only its items before: a hostile pass had
30 aliases of one journey's history, each record about 120 KB of staff text, answer 54 MB within
every item bound (and a journey of 1,000 such records would have made it gigabytes)."""

from __future__ import annotations

import pytest

from domain.roles import Role
from schema import answer_bytes
from tests.api.flow import JourneyDriver
from tests.api.hostile import send_graphql

# (a page of 20 events, more than the journey holds: thirty of 100 or of the whole 500 would be
# refused before, for their values)
HISTORY = (
    "journey(id: $id) { ... on Journey { history(first: 20) { seq action details summary } } }"
)


def _aliases(count: int) -> str:
    return "query History($id: ID!) { " + " ".join(f"a{n}: {HISTORY}" for n in range(count)) + " }"


async def test_an_answer_past_its_bound_is_one_error_and_no_data(
    driver: JourneyDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a journey with its consultation recorded, and what one read of its history holds
    journey = await driver.consult((await driver.drive_to("CONSULTATION"))["id"])
    token = driver.token(Role.SUPERVISOR)
    one = await send_graphql(driver.api, _aliases(1), {"id": journey["id"]}, token=token)
    history = one.json()["data"]["a0"]["history"]
    assert any(event["details"] for event in history)
    # (the bound, for this test, five such answers: what a read holds is less than its answer)
    bound = len(one.text) * 5
    monkeypatch.setattr(answer_bytes, "MAX_ANSWER_CHARS", bound)
    # When three are asked in one request, they are answered whole
    three = await send_graphql(driver.api, _aliases(3), {"id": journey["id"]}, token=token)
    assert [three.json()["data"][f"a{n}"]["history"] for n in range(3)] == [history] * 3
    # When thirty are asked, the answer is one error that says what to change, and no data
    many = await send_graphql(driver.api, _aliases(30), {"id": journey["id"]}, token=token)
    (message,) = many.error_messages()
    assert message.startswith(f"the answer would hold more than {bound:,} characters")
    assert "fewer aliases" in message
    assert len(many.text) < 1000
