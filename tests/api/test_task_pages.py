"""`myTasks` read a page at a time while its tasks move (found by review): pages are keyed on
the due time, which a missed call (its back-off) or a corrected recheck booking changes. A task
moved later after its page was read comes again on a later page (the same id: one entry for
it); one moved earlier, behind the cursor, is on no later page, and `tasksChanged` pushes it
with its new due time. Subscribed before the first page, a list never misses a task."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.roles import Role
from tests.api import aftercare_documents as docs
from tests.api.flow import JourneyDriver
from tests.api.live import Pushes, pushed_task, reading
from tests.api.test_aftercare import _miss
from tests.api.test_booked_recheck_changes import DAY, _amend, _correction, _handed_over
from tests.api.test_booked_rechecks import _at

Clinic = Callable[[], Awaitable[JourneyDriver]]

PAGE = (
    """
query Page($due: Boolean, $first: Int!, $after: String) {
  myTasks(due: $due, first: $first, after: $after) {
    __typename
    ... on FollowUpTaskConnection {
      edges { node { ...TaskFields } } pageInfo { endCursor hasNextPage }
    }
    ... on UserError { code message }
  }
}
"""
    + docs.TASK_FIELDS
)


async def _page(
    driver: JourneyDriver, first: int, after: str | None = None, due: bool | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    data = await driver.api.run(
        PAGE, driver.token(Role.FOLLOW_UP_STAFF), first=first, after=after, due=due
    )
    page = data["myTasks"]
    assert page["__typename"] == "FollowUpTaskConnection", page
    return [edge["node"] for edge in page["edges"]], page["pageInfo"]["endCursor"]


async def _pushed_due_at(pushes: Pushes, due: datetime, **match: Any) -> dict[str, Any]:
    """The first push of the matching task due at `due` (its earlier pushes skipped)."""
    while True:
        task = await pushed_task(pushes, **match)
        if _at(task["dueAt"]) == due:
            return task


async def test_a_call_moved_later_after_its_page_comes_again_with_the_same_id(
    fresh_clinic: Clinic,
) -> None:
    driver = await fresh_clinic()
    watch = driver.api.subscription(docs.TASKS_CHANGED, driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        # Given follow-up staff watching their list, and a journey's first call due
        jid = (await driver.drive_to("FOLLOW_UP"))["id"]
        await driver.wait_until_due(jid, 1)
        # And the first page of their list, one task long: that call
        (call,), cursor = await _page(driver, 1)
        assert (call["journeyId"], call["followUpId"]) == (jid, "fu-1"), call
        # When the client is not reached: the call's back-off moves it later
        await _miss(driver, jid, "fu-1")
        pushed = await pushed_task(pushes, id=call["id"], attempts=1)
    # Then the next page lists it again, by the same id, as it now is (and as it was pushed)
    later, _ = await _page(driver, 100, cursor)
    (again,) = [task for task in later if task["id"] == call["id"]]
    assert _at(again["dueAt"]) > _at(call["dueAt"])
    assert again == pushed


async def test_a_reminder_moved_earlier_behind_the_cursor_is_pushed_not_skipped(
    fresh_clinic: Clinic,
) -> None:
    driver = await fresh_clinic()
    now = datetime.now(UTC).replace(microsecond=0)
    watch = driver.api.subscription(docs.TASKS_CHANGED, driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        # Given follow-up staff watching their list, and two rechecks booked, in two weeks and
        # in three
        sooner, _ = await _handed_over(driver, now + timedelta(days=14))
        later, seq = await _handed_over(driver, now + timedelta(days=21))
        # And the first page of the reminders still ahead, one long: the sooner one's
        (first,), cursor = await _page(driver, 1, due=False)
        assert (first["kind"], first["journeyId"]) == ("RECHECK", sooner), first
        # When the later recheck is corrected to next week: its reminder moves behind the cursor
        moved = now + timedelta(days=7)
        amended = await _amend(driver, _correction(later, seq, moved.isoformat()))
        assert amended["__typename"] == "AmendmentPayload", amended
        # Then it is pushed, due at its new time
        pushed = await _pushed_due_at(pushes, moved - DAY, kind="RECHECK", journeyId=later)
    # And no later page lists it (it is behind the cursor)
    rest, _ = await _page(driver, 100, cursor, due=False)
    assert pushed["id"] not in {task["id"] for task in rest}
    # But the list of pages and pushes, merged by id, has every task the list has now
    known = {task["id"]: task for task in [first, *rest, pushed]}
    everything, _ = await _page(driver, 100, due=False)
    assert {task["id"]: task for task in everything} == known


DESCRIBED = """
query Described {
  __type(name: "Query") { fields { name description args { name description } } }
}
"""


async def test_the_list_says_how_a_moved_task_is_paged_and_where_it_is_told(
    driver: JourneyDriver,
) -> None:
    # What an SPA reads of `myTasks` says a moved task may come again, by the same id, and that
    # `tasksChanged`, subscribed first and heard to start, tells of one moved behind the cursor
    data = await driver.api.run(DESCRIBED, driver.token(Role.FOLLOW_UP_STAFF))
    (field,) = [f for f in data["__type"]["fields"] if f["name"] == "myTasks"]
    described = field["description"]
    told = "`tasksChanged(announceStart: true)`"
    for said in ("comes again on a later page", "same `id`", "behind `after`", told, "STARTED"):
        assert said in described, (said, described)
    (after,) = [a for a in field["args"] if a["name"] == "after"]
    assert "moved since" in after["description"], after
