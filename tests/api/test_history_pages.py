"""A journey's history is read in bounded pages: `afterSeq` and `first`, oldest first."""

from __future__ import annotations

import pytest

from domain.roles import Role
from tests.api.flow import JourneyDriver
from tests.api.refused_input import refusal, refused_input

HISTORY = """
query History($id: ID!, $after: Int, $first: Int) {
  journey(id: $id) {
    ... on Journey { lastEventSeq history(afterSeq: $after, first: $first) { seq action } }
  }
}
"""
WHOLE = "query Whole($id: ID!) { journey(id: $id) { ... on Journey { history { seq action } } } }"
TWO_SHAPES = """
query Two($a: ID!, $b: ID!) {
  a: journey(id: $a) { ... on Journey { history(first: 2) { seq } } }
  b: journey(id: $b) { ... on Journey { history(afterSeq: 1, first: 1) { seq } } }
}
"""


async def _page(driver: JourneyDriver, journey_id: str, **page: int) -> dict:  # type: ignore[type-arg]
    data = await driver.api.run(HISTORY, driver.token(Role.SUPERVISOR), id=journey_id, **page)
    return data["journey"]  # type: ignore[no-any-return]


async def test_a_history_read_page_by_page_is_the_whole_history_once(
    driver: JourneyDriver,
) -> None:
    # Given a journey some steps in
    journey = await driver.drive_to("CONSENT")
    token = driver.token(Role.SUPERVISOR)
    whole = (await driver.api.run(WHOLE, token, id=journey["id"]))["journey"]["history"]
    assert len(whole) >= 4, whole
    # When it is read two events at a time, each page after the last one's seq
    pages, after = [], 0
    while True:
        page = await _page(driver, journey["id"], after=after, first=2)
        pages.append(page["history"])
        if not page["history"] or page["history"][-1]["seq"] >= page["lastEventSeq"]:
            break
        after = page["history"][-1]["seq"]
    # Then the pages are the whole history, in order, each event once, none over two long
    assert [event for page in pages for event in page] == whole
    assert all(1 <= len(page) <= 2 for page in pages)
    # And past the last event a page is empty
    assert (await _page(driver, journey["id"], after=len(whole), first=5))["history"] == []


async def test_journeys_asking_different_pages_in_one_request_each_get_theirs(
    driver: JourneyDriver,
) -> None:
    first = await driver.drive_to("CONSULTATION")
    second = await driver.drive_to("CONSULTATION")
    data = await driver.api.run(
        TWO_SHAPES, driver.token(Role.SUPERVISOR), a=first["id"], b=second["id"]
    )
    assert [e["seq"] for e in data["a"]["history"]] == [1, 2]
    assert [e["seq"] for e in data["b"]["history"]] == [2]


@pytest.mark.parametrize(
    ("page", "field", "message"),
    [
        ({"first": 0}, "first", "first: 1 to 500"),
        ({"first": 501}, "first", "first: 1 to 500"),
        ({"after": -1}, "afterSeq", "afterSeq: 0 or more"),
    ],
)
async def test_a_page_out_of_bounds_is_refused_by_name(
    driver: JourneyDriver, page: dict[str, int], field: str, message: str
) -> None:
    journey = await driver.start()
    refused = await refused_input(_page(driver, journey["id"], **page))
    assert refused == refusal(field, message, "OUT_OF_RANGE")


async def test_one_journey_asked_two_pages_in_one_request_gets_each_once(
    driver: JourneyDriver,
) -> None:
    journey = await driver.drive_to("CONSULTATION")
    document = """
    query Two($id: ID!) { journey(id: $id) { ... on Journey {
      x: history(first: 1) { seq } y: history(first: 3) { seq } z: history(afterSeq: 1) { seq }
    } } }"""
    data = await driver.api.run(document, driver.token(Role.SUPERVISOR), id=journey["id"])
    seqs = {name: [e["seq"] for e in data["journey"][name]] for name in ("x", "y", "z")}
    last = len(seqs["z"]) + 1
    assert seqs == {"x": [1], "y": [1, 2, 3][:last], "z": list(range(2, last + 1))}
