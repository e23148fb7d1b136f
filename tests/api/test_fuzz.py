"""Schemathesis against the running API: generated queries and mutations (hostile Decimal, Date,
DateTime and JSON values among them) never get a server error.

A document costs 0.03-0.2 s on a shared 2-core machine, mostly in generating it, all of it CPU.
At 100 per operation the run took 449 s of the suite's PostgreSQL run, one of the two cores the
SQLite run shares, and was the longest part of CI. So the suite sends GLOWPATH_FUZZ_EXAMPLES per
operation (25 unless set) in its PostgreSQL run only (the stricter of the two databases: it refuses
NUL bytes and unpaired surrogates); `make fuzz` runs the same file alone, with 100 per operation.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from temporalio.testing import WorkflowEnvironment

from tests.api.conftest import api_settings
from tests.api.flow import JourneyDriver
from tests.api.fuzz import fuzz
from tests.api.harness import Api, running_api
from workflows.worker import build_worker

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

EXAMPLES = int(os.environ.get("GLOWPATH_FUZZ_EXAMPLES", "25"))
# Generation is CPU-bound: stop sending new documents after this long (whatever was sent is
# checked, and the operations cut short are printed).
BUDGET_SECONDS = float(os.environ.get("GLOWPATH_FUZZ_BUDGET_SECONDS", "900"))
# A comma-separated list of operations to fuzz alone, e.g. "recordPayment,recordConsultation".
ONLY = {name for name in os.environ.get("GLOWPATH_FUZZ_ONLY", "").split(",") if name}


@pytest.fixture
async def fuzzed(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> AsyncIterator[Api]:
    """An API (and worker) of the fuzz's own. Its generated sign-ins with wrong passwords lock the
    caller's address out for minutes, as the throttle should; on the shared API that would refuse
    every later test's sign-in (the throttle's state is per process)."""
    task_queue = f"fuzz-{uuid.uuid4().hex[:8]}"
    settings = api_settings(database, temporal_address, task_queue)
    async with build_worker(temporal_env.client, task_queue):
        async with running_api(settings, temporal_env.client) as running:
            yield running


async def test_generated_documents_get_no_server_error(
    fuzzed: Api,
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Thousands of refused documents: their log lines would drown the report (which names the
    # documents that failed).
    caplog.set_level(logging.CRITICAL, logger="strawberry.execution")
    # Given a clinic of its own, every role signed in
    driver = await fresh_clinic()
    tokens = {role: staff.token for role, staff in driver.staff.items()}
    # When every query and mutation gets its generated documents, each from a role allowed it
    report = await asyncio.to_thread(
        fuzz,
        fuzzed.url,
        tokens,
        examples=EXAMPLES,
        budget_seconds=BUDGET_SECONDS,
        only=lambda name: not ONLY or name in ONLY,
    )
    sent = sum(report.examples.values())
    print(
        f"fuzz: {sent} documents over {len(report.examples)} operations;"
        f" cut by the budget: {report.stopped_early or 'none'}"
    )
    # Then none got a 5xx, a non-GraphQL answer or a masked fault
    assert report.failures == {}, "\n\n".join(f"{k}: {v}" for k, v in report.failures.items())
    assert len(report.examples) >= (len(ONLY) if ONLY else 50)
    assert all(count > 0 for count in report.examples.values()), report.examples
