"""The supervisors' list of open complaints says a page has one before it only when an open
complaint comes at or before its cursor, and the cockpit (`journeyStats`) counts the clinic's
open complaints and those overdue for their first answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.roles import Role
from tests.api.complaint_support import OPEN, answered, complaint, taken
from tests.api.flow import JourneyDriver

Clinic = Callable[[], Awaitable[JourneyDriver]]
STATS = """
query Stats($clinicId: ID!) {
  journeyStats(clinicId: $clinicId) {
    __typename ... on JourneyStats { openComplaints overdueComplaints }
  }
}
"""
ME = "query { me { ... on StaffMember { clinicId } } }"


def _ten_days_ago() -> str:
    return (datetime.now(UTC) - timedelta(days=10)).isoformat()


async def _page(clinic: JourneyDriver, first: int, after: str | None = None) -> dict[str, Any]:
    data = await clinic.api.run(OPEN, clinic.token(Role.SUPERVISOR), first=first, after=after)
    page = data["openComplaints"]
    assert page["__typename"] == "ComplaintConnection", page
    return page  # type: ignore[no-any-return]


def _seen(page: dict[str, Any]) -> tuple[list[str], bool, bool]:
    info = page["pageInfo"]
    ids = [edge["node"]["id"] for edge in page["edges"]]
    return ids, info["hasPreviousPage"], info["hasNextPage"]


async def test_a_page_has_one_before_it_only_while_an_open_complaint_comes_at_or_before_its_cursor(
    fresh_clinic: Clinic,
) -> None:
    # Given a clinic with an overdue complaint and an answered one
    clinic = await fresh_clinic()
    client_id = await clinic.register_client()
    long_ago = _ten_days_ago()
    overdue = await taken(clinic, Role.FRONT_DESK, **complaint(client_id, receivedAt=long_ago))
    later = await taken(clinic, Role.FRONT_DESK, **complaint(client_id, receivedAt=long_ago))
    await answered(clinic, "respondToComplaint", later["id"])
    # When a supervisor reads them one at a time
    first = await _page(clinic, 1)
    second = await _page(clinic, 1, first["pageInfo"]["endCursor"])
    # Then the first page has none before it, the second has
    assert _seen(first) == ([overdue["id"]], False, True)
    assert _seen(second) == ([later["id"]], True, False)
    # When the first one is resolved, the page after its cursor has none before it any more
    await answered(clinic, "resolveComplaint", overdue["id"], outcome="UPHELD")
    again = await _page(clinic, 1, first["pageInfo"]["endCursor"])
    assert _seen(again) == ([later["id"]], False, False)
    # And an unanswered one comes before every answered one: one taken now, and the answered
    # one resolved, leave the page after the answered one's cursor with one before it
    fresh = await taken(clinic, Role.NURSE, **complaint(client_id))
    await answered(clinic, "resolveComplaint", later["id"], outcome="NOT_UPHELD")
    past_the_answered = await _page(clinic, 5, second["pageInfo"]["endCursor"])
    assert _seen(past_the_answered) == ([], True, False)
    assert _seen(await _page(clinic, 5)) == ([fresh["id"]], False, False)


async def _counts(clinic: JourneyDriver) -> tuple[int, int]:
    token = clinic.token(Role.SUPERVISOR)
    me = await clinic.api.run(ME, token)
    stats = (await clinic.api.run(STATS, token, clinicId=me["me"]["clinicId"]))["journeyStats"]
    assert stats["__typename"] == "JourneyStats", stats
    return stats["openComplaints"], stats["overdueComplaints"]


async def test_the_cockpit_counts_the_open_complaints_and_those_overdue_for_their_first_answer(
    fresh_clinic: Clinic,
) -> None:
    # Given a clinic with no complaint, and another clinic with an overdue one
    clinic = await fresh_clinic()
    elsewhere = await fresh_clinic()
    theirs = await elsewhere.register_client()
    await taken(elsewhere, Role.FRONT_DESK, **complaint(theirs, receivedAt=_ten_days_ago()))
    assert await _counts(clinic) == (0, 0)
    # When it takes two overdue complaints, one now, an old one answered and an old one resolved
    client_id = await clinic.register_client()
    old = [
        await taken(clinic, Role.FRONT_DESK, **complaint(client_id, receivedAt=_ten_days_ago()))
        for _ in range(4)
    ]
    await taken(clinic, Role.FRONT_DESK, **complaint(client_id))
    await answered(clinic, "respondToComplaint", old[2]["id"])
    await answered(clinic, "resolveComplaint", old[3]["id"], outcome="WITHDRAWN")
    # Then the cockpit counts four open, two of them overdue; the other clinic's are not counted
    assert await _counts(clinic) == (4, 2)
    assert await _counts(elsewhere) == (1, 1)
    # And an answer ends one's being overdue, a resolution takes one off the open ones
    await answered(clinic, "respondToComplaint", old[0]["id"])
    assert await _counts(clinic) == (4, 1)
    await answered(clinic, "resolveComplaint", old[1]["id"], outcome="UPHELD")
    assert await _counts(clinic) == (3, 0)
