"""The calls the audit benchmark times, each sent alternately to the server with the audit trail
and to the one without it, and the entries each call must leave (none without the trail)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.operations import (
    RECORD_CONSULTATION,
    REGISTER_CLIENT,
    BenchError,
    GraphQLClient,
    client_input,
    consultation_input,
)
from bench.workload import Staff
from domain.audit import CLIENT_READ, JOURNEY_HISTORY_READ, JOURNEY_READ, Access, Viewer
from domain.store.audit_chain import append_accesses
from domain.store.audit_models import AuditEntry

# A journey screen: the journey, its client and its whole history with the recorded details.
READ_JOURNEY = """
query Read($journey: ID!) {
  journey(id: $journey) {
    __typename
    ... on Journey {
      id stage visitCategory startedAt
      client { id fullName phone email occupation }
      consultant { id displayName }
      history { seq action fromStage toStage actorRole at atLocal summary details }
      followUps { id status }
      availableActions { action allowed reason }
    }
  }
}"""
HISTORY_EVENTS = 10  # recordConsultation calls before the read journey is measured
PAIRS_PER_JOURNEY = 250  # Temporal bounds the updates of one workflow run
_numbers = itertools.count(1)


@dataclass
class Timings:
    name: str
    entries_per_call: int
    on_ns: list[int] = field(default_factory=list)
    off_ns: list[int] = field(default_factory=list)


Call = Callable[[GraphQLClient], Awaitable[Any]]


async def _timed(samples: list[int], call: Call, api: GraphQLClient) -> None:
    start = time.perf_counter_ns()
    await call(api)
    samples.append(time.perf_counter_ns() - start)


async def _entries() -> int:
    return await AuditEntry.all().count()


async def alternate(
    timings: Timings,
    on: GraphQLClient,
    off: GraphQLClient,
    calls: int,
    call: Call,
    off_audits: bool = False,
) -> None:
    """`calls` of each, in ABBA order; checks the entries the trail wrote: the "on" server's,
    and the "off" server's too when only the permission checks are off there."""
    before = await _entries()
    for i in range(calls):
        pair = [(timings.on_ns, on), (timings.off_ns, off)]
        for samples, api in pair if i % 4 in (0, 3) else reversed(pair):
            await _timed(samples, call, api)
    written = await _entries() - before
    if written != calls * timings.entries_per_call * (2 if off_audits else 1):
        raise BenchError(
            f"{timings.name}: {written} audit entries for {calls} audited calls, "
            f"expected {timings.entries_per_call} each (from the audited server(s) only)"
        )


async def journey_at_consultation(staff: Staff) -> str:
    ignored: dict[str, list[int]] = {
        k: [] for k in ("registerClient", "startJourney", "assignConsultant")
    }
    return await staff.journey_at_consultation(800_000 + next(_numbers), ignored)


async def journey_with_history(staff: Staff) -> str:
    """A journey at CONSULTATION with HISTORY_EVENTS recorded consultations."""
    journey_id = await journey_at_consultation(staff)
    for _ in range(HISTORY_EVENTS):
        await staff.record_consultation(journey_id)
    return journey_id


def read_journey(journey_id: str, token: str) -> Call:
    async def call(api: GraphQLClient) -> None:
        data = await api.call(READ_JOURNEY, {"journey": journey_id}, token)
        if len(data["journey"]["history"]) < HISTORY_EVENTS:
            raise BenchError(f"the read journey answered {data}")

    return call


def register_client(token: str) -> Call:
    async def call(api: GraphQLClient) -> None:
        number = 100_000 + next(_numbers)
        await api.mutate(
            REGISTER_CLIENT, "registerClient", "ClientPayload", client_input(number), token
        )

    return call


def record_consultation(journey_id: str, token: str) -> Call:
    async def call(api: GraphQLClient) -> None:
        await api.mutate(
            RECORD_CONSULTATION,
            "recordConsultation",
            "JourneyPayload",
            consultation_input(journey_id),
            token,
        )

    return call


async def append_alone(calls: int) -> list[int]:
    """The write by itself, in process: the three entries of the journey read, in a chain of
    their own (a clinic no request uses)."""
    viewer = Viewer("bench", "SUPERVISOR", "bench-append-alone", None)
    accesses = [
        Access("client", what) for what in (JOURNEY_READ, CLIENT_READ, JOURNEY_HISTORY_READ)
    ]
    samples: list[int] = []
    for _ in range(calls):
        start = time.perf_counter_ns()
        await append_accesses(viewer, accesses)
        samples.append(time.perf_counter_ns() - start)
    return samples
