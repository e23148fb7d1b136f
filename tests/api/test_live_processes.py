"""Two API processes on one read model: a change made through either reaches a subscriber on
the other, as the journey as of that event."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from tests.api.conftest import SECRET_KEY, TASK_QUEUE
from tests.api.flow import JourneyDriver
from tests.api.harness import Api
from tests.api.live import LIVE_JOURNEY, assert_self_consistent, reading
from tests.api.test_operations import free_port
from tests.api.test_processes import environment, stop, wait_ready


async def test_a_change_through_one_api_process_reaches_a_subscriber_on_another(
    api: Api, driver: JourneyDriver, start: Any, database: str, temporal_address: str
) -> None:
    # Given a second API process (`glowpath api`) on the same database, Temporal and tasks
    port = free_port()
    env = environment(database, temporal_address, GLOWPATH_HTTP_PORT=str(port))
    env.update(GLOWPATH_SECRET_KEY=SECRET_KEY, GLOWPATH_TASK_QUEUE=TASK_QUEUE)
    process, log = start("api", env)
    await wait_ready(f"http://127.0.0.1:{port}/readyz", process, log)
    other = Api(f"http://127.0.0.1:{port}/graphql")
    journey = await driver.start()
    watcher = driver.token(Role.NURSE)

    # When a change is made through this process while someone watches on the other
    async with reading(
        other.subscription(LIVE_JOURNEY, watcher, id=journey["id"]), "journeyChanged"
    ) as pushes:
        first = await pushes.next()
        assigned = await driver.assign(journey["id"])
        there = await pushes.next()
    # and one is made through the other process while someone watches on this one
    async with reading(
        api.subscription(LIVE_JOURNEY, watcher, id=journey["id"]), "journeyChanged"
    ) as pushes:
        assert (await pushes.next())["lastEventSeq"] == len(assigned["history"])
        consulted = await JourneyDriver(other, driver.staff).consult(journey["id"])
        here = await pushes.next()

    # Then each watcher saw exactly that change, as that event left the journey
    assert first["lastEventSeq"] == len(journey["history"])
    assert (there["lastEventSeq"], there["history"][-1]["action"]) == (
        len(assigned["history"]),
        "assign_consultant",
    )
    assert (here["lastEventSeq"], here["history"][-1]["action"]) == (
        len(consulted["history"]),
        "record_consultation",
    )
    for push in (first, there, here):
        assert_self_consistent(push)
    assert await stop(process) == 0
