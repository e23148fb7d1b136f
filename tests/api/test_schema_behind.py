"""`glowpath api`, `worker`, `seed`, `create-admin`, `reconcile` and `audit verify` on a read
model that lacks a migration of their release (an image rolled out before its migration ran)
refuse to start, in one line naming what is missing and the command to run, instead of answering
ready and failing what touches it (or writing to a schema it does not know)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from domain.store.schema_version import behind_message, known_migrations
from tests.api.test_operations import free_port
from tests.api.test_processes import ROOT, environment
from tests.migration_templates import MigrationTemplates

EXIT_TIMEOUT = 60.0
Launch = Callable[[str, dict[str, str]], tuple[subprocess.Popen[bytes], Path]]


async def test_a_read_model_behind_the_release_is_refused_at_start(
    start: Launch,
    migration_templates: MigrationTemplates,
    temporal_address: str,
    tmp_path: Path,
) -> None:
    *earlier, last = known_migrations()
    # Given a database the migrations brought only as far as the one before the last
    async with migration_templates.database_at(f"models.{earlier[-1]}") as behind:
        env = environment(
            behind,
            temporal_address,
            GLOWPATH_DATA_DIR=str(tmp_path / "var"),
            GLOWPATH_HTTP_PORT=str(free_port()),
            GLOWPATH_OPS_PORT=str(free_port()),
        )
        # When the API and the worker start on it (each on an operations port of its own)
        worker_env = {**env, "GLOWPATH_OPS_PORT": str(free_port())}
        started = [start("api", env), start("worker", worker_env)]
        for process, log in started:
            try:
                code = await asyncio.to_thread(process.wait, EXIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                raise AssertionError(f"{log.stem} still running without {last}") from None
            # Then each stops, saying in its last line what is missing and what to run
            said = log.read_text()
            assert code == 1, said
            assert "Traceback" not in said, said
            assert said.splitlines()[-1] == (
                f"glowpath: the read model lacks 1 migration(s) of this release ({last}): "
                "run `glowpath migrate` first"
            ), log.stem


@pytest.mark.parametrize(
    "command",
    [["seed"], ["create-admin", "--username", "first-admin"], ["reconcile"], ["audit", "verify"]],
)
async def test_the_commands_that_write_or_check_the_read_model_refuse_it_behind(
    migration_templates: MigrationTemplates,
    temporal_address: str,
    tmp_path: Path,
    command: list[str],
) -> None:
    *earlier, last = known_migrations()
    # Given a database the migrations brought only as far as the one before the last
    async with migration_templates.database_at(f"models.{earlier[-1]}") as behind:
        env = environment(
            behind,
            temporal_address,
            GLOWPATH_DATA_DIR=str(tmp_path / "var"),
            GLOWPATH_ADMIN_PASSWORD="a-long-enough-password",
            PYTHONPATH=str(ROOT),
        )
        # When the command runs on it
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "server.cli", *command],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=EXIT_TIMEOUT,
        )
        # Then it does nothing, saying in one line what is missing and what to run
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        assert done.stderr.splitlines()[-1] == (
            f"glowpath: the read model lacks 1 migration(s) of this release ({last}): "
            "run `glowpath migrate` first"
        ), done.stderr
        assert done.stdout == "", done.stdout


def test_what_a_database_lacks_is_named_and_one_ahead_passes() -> None:
    known = ["0001_a", "0002_b", "0003_c", "0004_d", "0005_e"]
    assert behind_message(known, set(known)) is None
    assert behind_message(known, {*known, "0006_from_a_later_release"}) is None
    assert behind_message(known, {"0001_a"}) == (
        "the read model lacks 4 migration(s) of this release (0002_b, 0003_c, 0004_d and 1 "
        "more): run `glowpath migrate` first"
    )
    assert known_migrations()[0] == "0001_initial"
