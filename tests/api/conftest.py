"""The system under test, started once per session: the Temporal dev server, a worker, the
read-model database, and the aiohttp GraphQL server, all on 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.auth import SigningKeys
from domain.roles import Role
from schema.feed import JourneyFeed
from server.seed import DEMO_CLINIC_ID
from server.settings import Settings
from tests.api.flow import JourneyDriver
from tests.api.harness import (
    Api,
    Staff,
    create_clinic,
    running_api,
    sign_in_all,
    tokens_for_all,
)
from tests.api.live import HandFed
from tests.support import start_dev_server
from workflows.worker import SEARCH_ATTRIBUTES, build_worker

TASK_QUEUE = "api-journeys"
# Seconds after handover: short, so the timers that make follow-ups due fire during the test.
FOLLOW_UP_SCHEDULE = (2, 4)
# The servers under test sign with a key of their own, as production does: never the public one.
SECRET_KEY = secrets.token_urlsafe(48)
SIGNING_KEYS = SigningKeys(SECRET_KEY)
# Photos go to a directory of the run's own, and a small limit keeps the oversized upload cheap.
# Named at import but made by the session's fixture: a process that only collects (a test running
# pytest on a file, `--collect-only`) would otherwise leave an empty directory behind each time.
PHOTO_DIR = Path(tempfile.gettempdir()) / f"glowpath-test-photos-{secrets.token_hex(8)}"
PHOTO_MAX_BYTES = 64 * 1024


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    """The Temporal CLI dev server (list queries, search attributes, real timers)."""
    # Registered at start, as `glowpath dev` does: a workflow upserting an unknown one is stuck.
    attributes = [f"--search-attribute={name}={kind}" for name, kind in SEARCH_ATTRIBUTES.items()]
    env = await start_dev_server(
        ip="127.0.0.1",
        dev_server_log_level="error",
        dev_server_extra_args=attributes,
    )
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture(scope="session", autouse=True)
def photo_dir() -> Iterator[Path]:
    """The directory every API of the run stores photos in; removed at the end."""
    PHOTO_DIR.mkdir(mode=0o700)
    yield PHOTO_DIR
    shutil.rmtree(PHOTO_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def temporal_address(temporal_env: WorkflowEnvironment) -> str:
    return temporal_env.client.service_client.config.target_host


def api_settings(database_url: str, temporal_address: str, task_queue: str) -> Settings:
    return Settings(
        database_url=database_url,
        temporal_address=temporal_address,
        task_queue=task_queue,
        http_host="127.0.0.1",
        http_port=0,
        follow_up_schedule=FOLLOW_UP_SCHEDULE,
        secret_key=SECRET_KEY,
        introspection=True,  # off by default outside `glowpath dev`; the tests read the schema
        photo_dir=PHOTO_DIR,
        photo_max_bytes=PHOTO_MAX_BYTES,
    )


@pytest.fixture(scope="session")
async def api(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> AsyncIterator[Api]:
    """The API server with an in-process worker on its task queue."""
    settings = api_settings(database, temporal_address, TASK_QUEUE)
    async with build_worker(temporal_env.client, TASK_QUEUE):
        async with running_api(settings, temporal_env.client) as running:
            yield running


@pytest.fixture
async def isolated(
    database: str, temporal_address: str, temporal_env: WorkflowEnvironment
) -> AsyncIterator[tuple[Api, str, dict[str, str]]]:
    """An API on a task queue no in-process worker serves, and the environment for worker
    processes (`glowpath worker`) that the test starts and kills itself."""
    task_queue = f"durability-{uuid.uuid4().hex[:8]}"
    settings = api_settings(database, temporal_address, task_queue)
    env = {
        **os.environ,
        "GLOWPATH_DATABASE_URL": database,
        "GLOWPATH_TEMPORAL_ADDRESS": temporal_address,
        "GLOWPATH_TASK_QUEUE": task_queue,
        "GLOWPATH_FOLLOW_UP_SCHEDULE": ",".join(f"{s}s" for s in FOLLOW_UP_SCHEDULE),
        "GLOWPATH_LOG_LEVEL": "WARNING",
    }
    async with running_api(settings, temporal_env.client) as api:
        yield api, task_queue, env


@pytest.fixture(scope="session")
async def staff(api: Api) -> dict[Role, Staff]:
    """The demo clinic's accounts (usernames front-desk, consultant, ...), each signed in."""
    await create_clinic(DEMO_CLINIC_ID)
    return await sign_in_all(api)


@pytest.fixture
def driver(api: Api, staff: dict[Role, Staff]) -> JourneyDriver:
    return JourneyDriver(api, staff)


@pytest.fixture
def fresh_clinic(api: Api) -> Callable[[], Awaitable[JourneyDriver]]:
    """Makes another clinic with its own staff, signed in: it sees nothing of the others."""

    async def make() -> JourneyDriver:
        tag = uuid.uuid4().hex[:8]
        await create_clinic(f"clinic-{tag}", prefix=f"{tag}-")
        return JourneyDriver(api, tokens_for_all(SIGNING_KEYS, prefix=f"{tag}-"))

    return make


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Any]:
    """Starts `glowpath <command>` with exactly the given environment (its output in a log
    file, `<name>.log`, the command's name unless given); kills whatever is still running at
    the end."""
    started: list[subprocess.Popen[bytes]] = []

    def run(
        command: str, env: dict[str, str], name: str | None = None
    ) -> tuple[subprocess.Popen[bytes], Path]:
        log = tmp_path / f"{name or command}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "server.cli", command],
                cwd=Path(__file__).resolve().parents[2],  # the project, as `glowpath` runs
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        started.append(process)
        return process, log

    yield run
    for process in started:  # only if a test failed half-way
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
async def held() -> AsyncIterator[contextlib.AsyncExitStack]:
    """Contexts a test opens part-way (a subscription watched for the rest of the test), left
    at its end."""
    async with contextlib.AsyncExitStack() as stack:
        yield stack


@pytest.fixture
async def hand_fed(
    api: Api,
    driver: JourneyDriver,
    database: str,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
) -> AsyncIterator[HandFed]:
    """An API of the driver's clinic whose feed reads only when the test tells it to."""
    feed = JourneyFeed(interval_seconds=3600)
    me = await api.run("query { me { ... on StaffMember { clinicId } } }", driver.token(Role.NURSE))
    settings = api_settings(database, temporal_address, TASK_QUEUE)
    async with running_api(settings, temporal_env.client, feed=feed) as watched:
        yield HandFed(feed, watched, me["me"]["clinicId"])


@pytest.fixture
async def fed_by_hand(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
    database: str,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
) -> AsyncIterator[tuple[JourneyDriver, HandFed]]:
    """A clinic of its own (its lists and board hold only the test's), and an API whose feed
    reads only when the test tells it to."""
    driver = await fresh_clinic()
    feed = JourneyFeed(interval_seconds=3600)
    me = await driver.api.run(
        "query { me { ... on StaffMember { clinicId } } }", driver.token(Role.NURSE)
    )
    settings = api_settings(database, temporal_address, TASK_QUEUE)
    async with running_api(settings, temporal_env.client, feed=feed) as watched:
        yield driver, HandFed(feed, watched, me["me"]["clinicId"])
