"""Signed-in staff driving journeys, and complete short journeys at concurrency.

Every GraphQL answer is checked: anything but the success payload stops the run (`BenchError`).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench.operations import (
    ASSIGN_CONSULTANT,
    CLOSE_NOT_CONVERTED,
    RECORD_CONSULTATION,
    REGISTER_CLIENT,
    START_JOURNEY,
    BenchError,
    GraphQLClient,
    client_input,
    consultation_input,
)
from domain.journey.facts import Actor
from domain.journey.stages import Stage
from domain.roles import Role
from schema.ids import decode_id

STEPS = (
    "registerClient",
    "startJourney",
    "assignConsultant",
    "recordConsultation",
    "closeNotConverted",
)


async def timed(samples: list[int], call: Callable[[], Awaitable[Any]]) -> Any:
    start = time.perf_counter_ns()
    result = await call()
    samples.append(time.perf_counter_ns() - start)
    return result


class Staff:
    """Signed-in demo staff: the desk opens and assigns, the consultant consults and closes."""

    def __init__(self, api: GraphQLClient) -> None:
        self.api = api
        self.desk = ""
        self.consultant = ""
        self.consultant_global_id = ""

    async def sign_in(self) -> None:
        self.desk, _ = await self.api.login(Role.FRONT_DESK.value)
        self.consultant, self.consultant_global_id = await self.api.login(Role.CONSULTANT.value)

    @property
    def consultant_actor(self) -> Actor:
        raw = decode_id(self.consultant_global_id, "StaffMember")
        if raw is None:
            raise BenchError(f"unexpected staff id {self.consultant_global_id!r}")
        return Actor(user_id=raw, role=Role.CONSULTANT)

    async def journey_at_consultation(self, n: int, samples: dict[str, list[int]]) -> str:
        """registerClient, startJourney, assignConsultant; returns the journey's global id."""
        api, desk = self.api, self.desk
        registered = await timed(
            samples["registerClient"],
            lambda: api.mutate(
                REGISTER_CLIENT, "registerClient", "ClientPayload", client_input(n), desk
            ),
        )
        started = await timed(
            samples["startJourney"],
            lambda: api.mutate(
                START_JOURNEY,
                "startJourney",
                "JourneyPayload",
                {"clientId": registered["client"]["id"], "reason": "expression lines"},
                desk,
            ),
        )
        journey_id = str(started["journey"]["id"])
        assign = {"journeyId": journey_id, "consultantId": self.consultant_global_id}
        assigned = await timed(
            samples["assignConsultant"],
            lambda: api.mutate(
                ASSIGN_CONSULTANT, "assignConsultant", "JourneyPayload", assign, desk
            ),
        )
        if assigned["journey"]["stage"] != Stage.CONSULTATION.value:
            raise BenchError(f"expected CONSULTATION after assignConsultant, got {assigned}")
        return journey_id

    async def record_consultation(self, journey_id: str, idempotency_key: str = "") -> None:
        consultation = consultation_input(journey_id)
        if idempotency_key:
            consultation["idempotencyKey"] = idempotency_key
        await self.api.mutate(
            RECORD_CONSULTATION,
            "recordConsultation",
            "JourneyPayload",
            consultation,
            self.consultant,
        )

    async def close_not_converted(self, journey_id: str) -> None:
        close = {"journeyId": journey_id, "reason": "wants to think it over"}
        result = await self.api.mutate(
            CLOSE_NOT_CONVERTED, "closeNotConverted", "JourneyPayload", close, self.consultant
        )
        if result["journey"]["stage"] != Stage.NOT_CONVERTED.value:
            raise BenchError(f"expected NOT_CONVERTED after closeNotConverted, got {result}")


async def journey_throughput(
    staff: Staff, journeys: int, concurrency: int
) -> tuple[float, dict[str, list[int]]]:
    """`concurrency` lanes each take the next journey number until `journeys` are done."""
    samples: dict[str, list[int]] = {name: [] for name in STEPS}
    numbers = itertools.count(1)

    async def one_journey(n: int) -> None:
        journey_id = await staff.journey_at_consultation(n, samples)
        await timed(samples["recordConsultation"], lambda: staff.record_consultation(journey_id))
        await timed(samples["closeNotConverted"], lambda: staff.close_not_converted(journey_id))

    async def lane() -> None:
        while (n := next(numbers)) <= journeys:
            await one_journey(n)

    start = time.perf_counter()
    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(concurrency, journeys)):
                group.create_task(lane())
    except* BenchError as failed:
        raise BenchError("; ".join(str(e) for e in failed.exceptions)) from None
    return time.perf_counter() - start, samples
