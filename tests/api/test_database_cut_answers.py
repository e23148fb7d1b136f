"""While the read-model database is cut, every operation answers the masked "Unexpected
error." (retry later): never the driver's own message, which names hosts and ports. A
WebSocket's `connection_init` meanwhile is closed as a fault of the server, not refused."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import WSCloseCode
from temporalio.testing import WorkflowEnvironment
from tortoise.context import TortoiseContext

from domain.roles import Role
from domain.store.db import tortoise_config
from tests.api import documents
from tests.api.conftest import api_settings
from tests.api.harness import Api, Staff, initialised, raw_socket, running_api
from tests.api.outage import BreakableDatabase

pytestmark = pytest.mark.postgres  # the cut goes through the relay in front of PostgreSQL


@pytest.fixture
async def breakable(database: str, tmp_path: Path) -> AsyncIterator[BreakableDatabase]:
    db = BreakableDatabase(database, tmp_path)
    await db.start()
    yield db
    await db.stop()


@contextlib.asynccontextmanager
async def _second_api_cut_off(
    breakable: BreakableDatabase, env: WorkflowEnvironment, temporal_address: str, queue: str
) -> AsyncIterator[Api]:
    """A second API on the same database, reached through a relay, the relay cut while the
    block runs (and restored after it)."""
    settings = api_settings(breakable.url, temporal_address, queue)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(breakable.url))
        async with running_api(settings, env.client) as second:
            await breakable.cut()
            try:
                yield second
            finally:
                await breakable.restore()


async def _post(url: str, token: str, document: str, variables: dict[str, object]) -> object:
    body = {"query": document, "variables": variables}
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json=body, headers=headers) as answer:
            assert answer.status == 200
            return await answer.json()


async def test_a_mutation_during_a_database_cut_answers_only_the_masked_error(
    breakable: BreakableDatabase,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
    staff: dict[Role, Staff],
) -> None:
    # Given a second API on the same database, reached through a relay, and the relay cut
    async with _second_api_cut_off(breakable, temporal_env, temporal_address, "cut-answers") as api:
        desk = staff[Role.FRONT_DESK].token
        client_input = {"fullName": "Ewa Przerwa", "birthDate": "1990-01-02"}
        # When a signed-in desk registers a client and starts a journey meanwhile
        answers = [
            await _post(api.url, desk, documents.REGISTER_CLIENT, {"input": client_input}),
            await _post(
                api.url,
                desk,
                documents.START_JOURNEY,
                {"input": {"clientId": "Q2xpZW50OjE=", "idempotencyKey": "cut-1"}},
            ),
        ]

    # Then each answer is the masked error alone
    for answer in answers:
        assert isinstance(answer, dict)
        assert [e["message"] for e in answer["errors"]] == ["Unexpected error."], answer


async def test_a_socket_opened_during_a_database_cut_is_closed_as_a_fault_not_refused(
    breakable: BreakableDatabase,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
    staff: dict[Role, Staff],
) -> None:
    # Given a second API on the same database, reached through a relay, and the relay cut
    async with _second_api_cut_off(breakable, temporal_env, temporal_address, "cut-sockets") as api:
        token = staff[Role.NURSE].token
        # When a signed-in nurse's socket sends its connection_init meanwhile
        async with raw_socket(api) as ws:
            answer = await initialised(ws, {"Authorization": f"Bearer {token}"})

    # Then it is closed as the server's fault (a client retries), not as a token refused (4403:
    # a client signs its user out)
    assert answer == WSCloseCode.INTERNAL_ERROR
