"""`tasksChanged` pushes a task when something about it changes, once per change (found by a
review: every step of a journey after its first call fell due pushed that call again,
unchanged, to every watcher)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.roles import Role
from tests.api import aftercare_documents as docs
from tests.api.flow import JourneyDriver
from tests.api.live import reading

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def test_a_call_no_event_changed_is_not_pushed_again_with_each_later_event(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # Given follow-up staff watching their list
    watch = clinic.api.subscription(docs.TASKS_CHANGED, clinic.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        # When a journey is handed over, and its two follow-ups fall due, one after the other
        journey_id = (await clinic.drive_to("FOLLOW_UP"))["id"]
        seen: list[tuple[str, str, int]] = []
        while not any(follow_up == "fu-2" for follow_up, _, _ in seen):
            task = (await pushes.next())["task"]
            if task is not None and task["journeyId"] == journey_id:
                seen.append((task["followUpId"], task["status"], task["attempts"]))
    # Then the first call is pushed once, as it fell due: the second's falling due did not
    # change it
    assert [s for s in seen if s[0] == "fu-1"] == [("fu-1", "OPEN", 0)], seen
