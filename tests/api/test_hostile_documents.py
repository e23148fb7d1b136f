"""Documents that ask for too much: refused before anything runs, quickly, with /healthz alive.

Each is sent without a token: the limits apply before anyone is known.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator

import aiohttp
import pytest
from gql import GraphQLRequest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from schema.answer_size import MAX_LIST_ITEMS
from schema.limits import MAX_ALIASES, MAX_DEPTH, MAX_FIELDS, MAX_INTROSPECTION_DEPTH
from tests.api import documents
from tests.api.conftest import api_settings
from tests.api.flow import JourneyDriver, end_journey, new_key
from tests.api.harness import Api, running_api
from tests.api.hostile import send_graphql
from workflows.worker import build_worker


def fragment_flood(levels: int) -> str:
    """The finding's document: each fragment spreads the previous one twice, 2^levels in all."""
    fragments = ["fragment F0 on Query { __typename }"]
    fragments += [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    return f"query Flood {{ ...F{levels} }}\n" + "\n".join(fragments)


@pytest.mark.parametrize("levels", [22, 30])
async def test_a_fragment_flood_is_refused_at_once(api: Api, levels: int) -> None:
    document = fragment_flood(levels)
    assert len(document) < 1300  # about a kilobyte, as in the finding
    answer = await send_graphql(api, document)
    assert answer.error_messages() == [
        f"'Flood' selects more than {MAX_FIELDS} fields once its fragments are expanded"
    ]


async def test_a_fragment_flood_just_under_the_limit_runs(api: Api) -> None:
    # 2^9 = 512 selections of __typename: within the limit, so it runs (and merges to one field)
    answer = await send_graphql(api, fragment_flood(9))
    assert answer.status == 200
    assert answer.json() == {"data": {"__typename": "Query"}}


async def test_aliases_multiplied_by_fragments_are_counted(api: Api) -> None:
    # Given one aliased field, spread 2 x 2 x ... through fragments: 32 aliases after expansion
    fragments = ["fragment A0 on Query { a: __typename }"]
    fragments += [f"fragment A{i} on Query {{ ...A{i - 1} ...A{i - 1} }}" for i in range(1, 6)]
    document = "query Aliases { ...A5 }\n" + "\n".join(fragments)
    answer = await send_graphql(api, document)
    assert answer.error_messages() == [f"'Aliases' uses more than {MAX_ALIASES} aliases"]


async def test_an_alias_flood_is_refused(api: Api) -> None:
    fields = " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES + 1))
    answer = await send_graphql(api, f"query Wide {{ {fields} }}")
    assert answer.error_messages() == [f"'Wide' uses more than {MAX_ALIASES} aliases"]


async def test_depth_is_counted_through_fragments(api: Api) -> None:
    # Given fields nested one level per fragment (no type of the schema nests that deep, so
    # the fields are unknown too: the depth is refused along with them, before anything runs)
    levels = MAX_DEPTH + 1
    fragments = ["fragment D0 on Query { __typename }"]
    fragments += [
        f"fragment D{i} on Query {{ me {{ ...D{i - 1} }} }}" for i in range(1, levels + 1)
    ]
    document = f"query Deep {{ ...D{levels} }}\n" + "\n".join(fragments)
    messages = (await send_graphql(api, document)).error_messages()
    assert f"'Deep' exceeds maximum operation depth of {MAX_DEPTH}" in messages


async def test_introspection_has_a_depth_limit_too(api: Api) -> None:
    # Given introspection nested far deeper than any client asks (the standard query: 11)
    nested = (
        "{ kind ofType " * (MAX_INTROSPECTION_DEPTH + 2)
        + "{ kind }"
        + " }" * (MAX_INTROSPECTION_DEPTH + 2)
    )
    answer = await send_graphql(api, f"query Spiral {{ __schema {{ types {nested} }} }}")
    assert answer.error_messages() == [
        f"'Spiral' exceeds maximum introspection depth of {MAX_INTROSPECTION_DEPTH}"
    ]


async def test_a_circular_fragment_is_refused(api: Api) -> None:
    document = (
        "query Loop { ...A } fragment A on Query { ...B } fragment B on Query { __typename ...A }"
    )
    messages = (await send_graphql(api, document)).error_messages()
    assert any("Cannot spread fragment 'A' within itself" in m for m in messages), messages


@contextlib.asynccontextmanager
async def _api(
    database: str,
    temporal_address: str,
    temporal_env: WorkflowEnvironment,
    task_queue: str,
    **options: float,
) -> AsyncIterator[Api]:
    """The API on its own task queue, with `options` for `create_app` (shorter limits)."""
    settings = api_settings(database, temporal_address, task_queue)
    async with running_api(settings, temporal_env.client, **options) as running:
        yield running


# A fifth of it (1.2 s) is the answer's margin after the last wait on Temporal: at 3 s the margin
# was 0.6 s, and a loaded CI machine once took longer than that to write the `Unavailable`.
IMPATIENT_SECONDS = 6.0


@pytest.fixture
async def impatient_api(
    database: str, temporal_address: str, temporal_env: WorkflowEnvironment
) -> AsyncIterator[tuple[Api, str]]:
    """An API that gives each request six seconds (4.8 of them for waits on Temporal), on a
    task queue no worker serves yet."""
    task_queue = f"hostile-{uuid.uuid4().hex[:8]}"
    options = {"execution_timeout": IMPATIENT_SECONDS}
    async with _api(database, temporal_address, temporal_env, task_queue, **options) as running:
        yield running, task_queue


async def test_a_request_that_waits_too_long_is_stopped(
    impatient_api: tuple[Api, str],
    driver: JourneyDriver,
    temporal_env: WorkflowEnvironment,
) -> None:
    api, task_queue = impatient_api
    client_id = await driver.register_client("Slow Start")
    key = new_key()
    # When a start waits for a journey that no worker opens
    answer = await send_graphql(
        api,
        documents.START_JOURNEY,
        {"input": {"clientId": client_id, "idempotencyKey": key}},
        token=driver.token(Role.FRONT_DESK),
    )
    # Then the caller hears Unavailable within the request's limit, and the server stays up
    assert answer.status == 200, answer
    started = json.loads(answer.text)["data"]["startJourney"]
    assert started["__typename"] == "Unavailable", answer
    assert answer.seconds < IMPATIENT_SECONDS + 1, answer
    await _retry_converges_once_a_worker_runs(driver, temporal_env, task_queue, client_id, key)


async def _retry_converges_once_a_worker_runs(
    driver: JourneyDriver,
    temporal_env: WorkflowEnvironment,
    task_queue: str,
    client_id: str,
    key: str,
) -> None:
    """A start stopped at the limit, retried with its key once a worker runs: one journey
    (then ended, so it keeps nothing running)."""
    async with build_worker(temporal_env.client, task_queue):
        started = await driver.start(client_id, idempotencyKey=key)
        await end_journey(driver, started["id"])


async def test_a_mutation_over_the_socket_that_waits_too_long_is_stopped_as_over_http(
    impatient_api: tuple[Api, str],
    driver: JourneyDriver,
    temporal_env: WorkflowEnvironment,
) -> None:
    api, task_queue = impatient_api
    client_id = await driver.register_client("Slow Socket")
    key = new_key()
    # When a start sent over the WebSocket waits for a journey that no worker opens
    async with api.websocket(driver.token(Role.FRONT_DESK)) as session:
        started = asyncio.get_running_loop().time()
        answer = await session.execute(
            GraphQLRequest(
                documents.START_JOURNEY,
                variable_values={"input": {"clientId": client_id, "idempotencyKey": key}},
            )
        )
        waited = asyncio.get_running_loop().time() - started
    # Then the caller hears Unavailable within the same limit as over HTTP
    assert answer["startJourney"]["__typename"] == "Unavailable", answer
    assert waited < IMPATIENT_SECONDS + 1
    await _retry_converges_once_a_worker_runs(driver, temporal_env, task_queue, client_id, key)


async def test_a_document_asking_for_a_huge_answer_is_refused_before_it_runs(
    api: Api, driver: JourneyDriver
) -> None:
    # 30 aliases of 100 journeys with 500 events each fit the document limits, and built a
    # 450 MB answer in 23 s on a clinic of 120 journeys
    page = (
        "journeys(first: 100) { ... on JourneyConnection { edges { node { id"
        " history(first: 500) { seq action summary details atLocal } } } } }"
    )
    document = "query Huge { " + " ".join(f"a{n}: {page}" for n in range(30)) + " }"
    answer = await send_graphql(api, document, token=driver.token(Role.SUPERVISOR))
    assert answer.error_messages() == [
        f"'Huge' would answer more than {MAX_LIST_ITEMS:,} list items: ask for smaller pages"
        " (`first`), fewer aliases or fewer nested lists"
    ]
    # While a page of three of them is answered
    small = "query Small { " + page.replace("first: 100", "first: 3") + " }"
    answer = await send_graphql(api, small, token=driver.token(Role.SUPERVISOR))
    assert "errors" not in answer.json() and answer.json()["data"]["journeys"]


async def test_a_body_that_trickles_in_is_stopped(
    database: str, temporal_address: str, temporal_env: WorkflowEnvironment
) -> None:
    # Given an API that gives a request's body one second to arrive
    task_queue = f"hostile-{uuid.uuid4().hex[:8]}"
    async with _api(database, temporal_address, temporal_env, task_queue, body_timeout=1.0) as api:
        arrived = asyncio.Event()

        async def trickle() -> AsyncIterator[bytes]:
            yield b'{"query": "{ __typename '
            # The rest never comes while the server waits (bounded, should it wait for ever)
            await asyncio.wait_for(arrived.wait(), 60)
            yield b'}"}'

        # When a client sends the start of a body and then nothing
        headers = {"Content-Type": "application/json"}
        started = asyncio.get_running_loop().time()
        async with aiohttp.ClientSession() as session:
            async with session.post(api.url, data=trickle(), headers=headers) as answer:
                status, body = answer.status, await answer.json()
            arrived.set()
        # Then the server answers after the limit, as a GraphQL error, and stops waiting
        assert status == 408
        assert body["errors"][0]["message"] == "the request body took longer than 1 s to arrive"
        assert asyncio.get_running_loop().time() - started < 30
