"""The chaos harness, small, in every test run: 60 journeys through the real API, worker and
Temporal processes while four faults hit them (kill -9 the worker, kill -9 the API, restart
Temporal; on PostgreSQL also a database cut through the relay). Every call is retried with its
idempotency key: nothing may be lost, nothing done twice, and reconcile must find no drift.

The faults are paced by journeys finished, not by the clock, so a fast or a loaded machine
sees the same four; the time limit only bounds a run that would otherwise hang.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import pytest

from bench.chaos import parse, run_chaos

JOURNEYS = 60
FAULTS = 4
TIME_LIMIT = 240.0  # seconds of driving; measured runs take far less (see the README)


def _admin_url(database_url: str) -> str:
    """The server of the session's PostgreSQL database, by its administration database."""
    return urlunsplit(urlsplit(database_url)._replace(path="/postgres"))


@pytest.mark.slow
async def test_sixty_journeys_through_four_faults_lose_and_repeat_nothing(database: str) -> None:
    # Given the harness on the session's kind of database
    options = ["--journeys", str(JOURNEYS), "--concurrency", "10", "--faults", str(FAULTS)]
    options += ["--cut-seconds", "3", "--time-limit", str(TIME_LIMIT)]
    postgres = not database.startswith("sqlite")
    if postgres:
        options += ["--postgres", _admin_url(database)]

    # When the journeys run through the faults
    verdict = await run_chaos(parse(options))

    # Then all four faults hit, every journey reached FOLLOW_UP with each action exactly once,
    # and the read model agrees with Temporal
    assert len(verdict.faults) == FAULTS, verdict.faults
    if postgres:
        assert "cut database" in verdict.faults
    assert verdict.lost == []
    assert verdict.duplicated == []
    assert verdict.reconcile_exit == 0
