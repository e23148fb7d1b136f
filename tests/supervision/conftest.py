"""The supervisor cockpit on the time-skipping test server: SLAs measured in days pass at once.

The real aiohttp server and a real worker are driven by the independent GraphQL client, as in
the API suite; only the Temporal server differs, so the test decides when time passes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from tests.api.conftest import api_settings
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, Staff, create_clinic, running_api, sign_in_all
from tests.supervision.missed_release import MissedRelease, release_missed
from tests.support import start_time_skipping
from workflows.worker import build_worker

TASK_QUEUE = "cockpit-journeys"
CLINIC_ID = "cockpit-clinic"


@pytest.fixture(scope="session")
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await start_time_skipping()
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture(scope="session")
async def cockpit_api(database: str, skipping_env: WorkflowEnvironment) -> AsyncIterator[Api]:
    settings = api_settings(database, "unused:0", TASK_QUEUE)
    async with build_worker(skipping_env.client, TASK_QUEUE):
        async with running_api(settings, skipping_env.client) as running:
            yield running


@pytest.fixture(scope="session")
async def cockpit_staff(cockpit_api: Api) -> dict[Role, Staff]:
    await create_clinic(CLINIC_ID, prefix="cockpit-")
    return await sign_in_all(cockpit_api, prefix="cockpit-")


@pytest.fixture
def cockpit(cockpit_api: Api, cockpit_staff: dict[Role, Staff]) -> JourneyDriver:
    return JourneyDriver(cockpit_api, cockpit_staff)


@pytest.fixture
async def missed(
    cockpit_api: Api,
    skipping_env: WorkflowEnvironment,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> MissedRelease:
    return await release_missed(cockpit_api, skipping_env, monkeypatch, caplog)
