"""`make test`'s runner: a suite that dies of a signal fails the whole run, side by side or not.

Found in a run where the SQLite suite was killed (SIGALRM) while the PostgreSQL suite passed: the
runner took the larger of the two statuses, 0 against -14, and the run passed with no SQLite
result at all.
"""

from __future__ import annotations

import os
import secrets
import signal
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest

from domain.store.schema_version import APP_LABEL, RECORDS, known_migrations
from tests import run_suites, suite_processes
from tests.conftest import long_files_first, on_own_loop, worker_database
from tests.migration_templates import LATEST, MigrationTemplates

DYING_TEST = """
import os, signal

def test_dies():
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_pytest_killed_by_a_signal_reports_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a test file whose test kills its own pytest
    (tmp_path / "test_dying.py").write_text(DYING_TEST)
    # When the runner runs it, its output prefixed as in a side-by-side run
    status = run_suites.pytest(
        [str(tmp_path / "test_dying.py"), "-q", "-p", "no:cacheprovider"], None, "[dying] "
    )
    # Then the status is the signal's, and the output says so
    assert status == -signal.SIGKILL
    assert "[dying] pytest was killed by signal 9" in capsys.readouterr().out


# A suite that leaves a process of its own running on its output (started while pytest does not
# capture it), as a worker cut off by its timeout or exit bound leaves the Temporal servers it
# started.
LEAVING_CONFTEST = """
import subprocess, sys
from pathlib import Path

def pytest_configure(config):
    left = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    Path(__file__).with_name("left.pid").write_text(str(left.pid))
"""


def test_a_process_left_behind_neither_holds_the_run_nor_outlives_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a passing suite that leaves a process writing to its output
    (tmp_path / "conftest.py").write_text(LEAVING_CONFTEST)
    (tmp_path / "test_passing.py").write_text("def test_passes() -> None:\n    pass\n")
    args = [str(tmp_path / "test_passing.py"), "-q", "-p", "no:cacheprovider"]
    statuses: list[int] = []
    # When the runner runs it, its output prefixed as in a side-by-side run (bounded here: the
    # process held the output open, and the run with it, for good)
    run = threading.Thread(
        target=lambda: statuses.append(run_suites.pytest(args, None, "[left] ")), daemon=True
    )
    run.start()
    run.join(timeout=60)
    left = int((tmp_path / "left.pid").read_text())
    still_running = suite_processes.is_running(left)
    if still_running:
        os.kill(left, signal.SIGKILL)
    # Then the run ended passing, the process left behind was stopped, and it says so
    assert statuses == [0]
    assert not still_running
    assert "[left] stopped 1 process the suite left behind" in capsys.readouterr().out


HANGING_TEST = """
import threading

def test_hangs():
    threading.Event().wait()
"""


def test_a_suite_past_its_limit_prints_where_it_hung_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a suite whose test never ends, and no per-test timeout to end it
    (tmp_path / "test_hanging.py").write_text(HANGING_TEST)
    args = [str(tmp_path / "test_hanging.py"), "-q", "-p", "no:cacheprovider", "-p", "no:timeout"]
    monkeypatch.setenv("GLOWPATH_TEST_SUITE_LIMIT_SECONDS", "3")
    # When the runner runs it with a 3 s limit
    status = run_suites.pytest(args, None, "[hung] ")
    # Then the suite failed, saying so, and printed its stacks (where its test waited, or on
    # a machine too busy to reach the test in 3 s, where pytest was getting there)
    out = capsys.readouterr().out
    assert status != 0
    assert "[hung] the suite ran past its 3 s limit" in out
    assert "[hung] Fatal Python error: Aborted" in out and "(most recent call first)" in out


def test_a_suite_not_started_when_the_run_is_interrupted_never_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a run interrupted while the PostgreSQL suite was still migrating its template
    (tmp_path / "test_dying.py").write_text(DYING_TEST)
    stopped = threading.Event()
    stopped.set()
    monkeypatch.setattr(run_suites, "_stopped", stopped)
    # When that suite's pytest is started, then it never runs
    assert run_suites.pytest([str(tmp_path / "test_dying.py")], None, "[postgres] ") == 1
    assert "[postgres] pytest not started" in capsys.readouterr().out


def test_a_run_interrupted_while_it_waits_for_the_postgresql_suite_never_starts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a SQLite suite that passed, and a PostgreSQL suite still migrating its template when
    # the run, waiting for it, is interrupted (a SIGTERM raises SystemExit there alike)
    (tmp_path / "test_passing.py").write_text("def test_passes() -> None:\n    pass\n")
    args = [str(tmp_path / "test_passing.py"), "-q", "-p", "no:cacheprovider"]
    monkeypatch.setattr(run_suites, "_stopped", threading.Event())
    waited_again = threading.Event()
    suites: list[threading.Thread] = []

    class InterruptedWhileWaiting(threading.Thread):
        def join(self, timeout: float | None = None) -> None:
            suites.append(self)
            if len(suites) == 1:
                raise KeyboardInterrupt
            waited_again.set()  # the run's handling of the interruption is over
            super().join(timeout)

    def migrating(args: Sequence[str], url: str, prefix: str = "") -> int:
        waited_again.wait(timeout=30)  # the template is migrated
        return run_suites.pytest(args, None, prefix)

    monkeypatch.setattr(run_suites, "SuiteThread", InterruptedWhileWaiting)
    monkeypatch.setattr(run_suites, "run_on_postgres", migrating)
    # When the suites run side by side
    with pytest.raises(KeyboardInterrupt):
        run_suites._side_by_side(args, "postgres://unused")
    suites[0].join(timeout=60)
    # Then the PostgreSQL suite's pytest never starts
    assert "[postgres] pytest not started" in capsys.readouterr().out


@pytest.mark.parametrize(("sqlite", "postgres", "expected"), [(0, 0, 0), (-14, 0, 142), (0, 1, 1)])
def test_the_side_by_side_run_fails_when_either_suite_fails(
    monkeypatch: pytest.MonkeyPatch, sqlite: int, postgres: int, expected: int
) -> None:
    # Given suites that end with these statuses (no pytest or database is needed for the sum)
    def fake_pytest(args: Sequence[str], database_url: str | None, prefix: str = "") -> int:
        return sqlite

    def fake_postgres(args: Sequence[str], url: str, prefix: str = "") -> int:
        return postgres

    monkeypatch.setattr(run_suites, "pytest", fake_pytest)
    monkeypatch.setattr(run_suites, "run_on_postgres", fake_postgres)
    # When they run side by side, then the run's exit code is 0 only when both passed
    assert run_suites._side_by_side([], "postgres://unused") == expected


@pytest.mark.parametrize(
    ("workers", "args", "expected"),
    [
        ("", [], ["-n", "2", "--dist", "loadfile", "--no-loadscope-reorder"]),
        ("3", ["-q"], ["-n", "3", "--dist", "loadfile", "--no-loadscope-reorder"]),
        ("1", [], []),
        ("", ["-n", "4"], []),
        ("", ["--numprocesses=4"], []),
        ("", ["-p", "no:xdist"], []),
        ("", ["--pdb"], []),
    ],
)
def test_the_runner_asks_for_the_workers_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch, workers: str, args: list[str], expected: list[str]
) -> None:
    monkeypatch.setenv("GLOWPATH_TEST_WORKERS", workers)
    assert run_suites.workers_args(args) == expected


def test_a_number_of_workers_that_is_no_number_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GLOWPATH_TEST_WORKERS", "two")
    with pytest.raises(ValueError, match="GLOWPATH_TEST_WORKERS"):
        run_suites.workers_args([])


@dataclass
class _Item:
    """What `long_files_first` reads of a collected test."""

    nodeid: str
    slow: bool = False
    fixturenames: tuple[str, ...] = ()

    def get_closest_marker(self, name: str) -> object | None:
        return object() if name == "slow" and self.slow else None


def test_the_files_holding_long_tests_go_first_each_file_kept_together() -> None:
    # Given short files around one with a slow test and one starting from an older migration
    items = [
        _Item("tests/a.py::one"),
        _Item("tests/b.py::quick"),
        _Item("tests/b.py::long", slow=True),
        _Item("tests/c.py::two"),
        _Item("tests/d.py::old", fixturenames=("migration_templates",)),
        _Item("tests/d.py::older", fixturenames=("migration_templates",)),
    ]
    # When they are ordered for the workers
    ordered = long_files_first(items)  # type: ignore[arg-type]
    # Then the long files come first, each file's tests together and in their order
    assert [item.nodeid for item in ordered] == [
        "tests/b.py::quick",
        "tests/b.py::long",
        "tests/d.py::old",
        "tests/d.py::older",
        "tests/a.py::one",
        "tests/c.py::two",
    ]


@pytest.mark.postgres
async def test_the_run_drops_its_template_and_its_workers_databases_even_a_dead_worker_s(
    database_url: str,
) -> None:
    # Given a run's database, its template, two of its workers' left behind with a migration
    # template of each and of the run's own, and others' beside
    run = f"glowpath_test_{secrets.token_hex(4)}"
    others = [f"{run}x_gw0", f"{run.replace('_', 'x')}_gw0"]
    migration_templates = [f"{run}_gw0_m{secrets.token_hex(4)}", f"{run}_m{secrets.token_hex(4)}"]
    names = [run, f"{run}_template", f"{run}_gw0", f"{run}_gw1", *migration_templates, *others]
    connection = await asyncpg.connect(run_suites.admin_url())
    try:
        for name in names:
            await connection.execute(f'CREATE DATABASE "{name}"')
        # When the run's databases are dropped after it
        await run_suites._drop_run_databases(run_suites.admin_url(), run)
        # Then the run's, its template, its workers' and their templates are gone, the others'
        # are there
        rows = await connection.fetch(
            "SELECT datname FROM pg_database WHERE datname = ANY($1::text[])", names
        )
        assert sorted(row["datname"] for row in rows) == sorted(others)
    finally:
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()


@pytest.mark.postgres
async def test_a_worker_s_migration_templates_are_named_after_its_database(
    database_url: str, tmp_path: Path
) -> None:
    # Given a worker's migration templates (the run's template at the latest, when there is one)
    templates = MigrationTemplates(
        database_url, tmp_path, latest=os.environ.get("GLOWPATH_TEST_DATABASE_TEMPLATE")
    )
    try:
        # When a test asks for a database at a migration
        async with templates.database_at(LATEST) as url:
            named = urlsplit(url).path.lstrip("/")
    finally:
        await templates.drop()
    # Then it is named after the worker's database, which the run drops with all named after it
    assert named.startswith(f"{urlsplit(database_url).path.lstrip('/')}_m")


@pytest.mark.postgres
def test_a_worker_s_database_starts_with_every_migration_of_the_run_s_template(
    database_url: str,
) -> None:
    template = os.environ.get("GLOWPATH_TEST_DATABASE_TEMPLATE")
    if not template:
        pytest.skip("no template: this pytest was not started by tests.run_suites")
    # Given the run's template, which the run migrated before starting pytest
    run = os.environ["GLOWPATH_TEST_DATABASE_URL"]
    # When a worker's database is made as the suite's are (the test never connects to the
    # template: PostgreSQL copies no database someone is connected to)
    with worker_database(run, f"gw_{secrets.token_hex(2)}", template) as url:
        recorded = on_own_loop(_recorded(url))
    # Then it holds the release's every migration, recorded as applied
    assert recorded == known_migrations()


async def _recorded(url: str) -> list[str]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(f"SELECT name FROM {RECORDS} WHERE app = $1", APP_LABEL)
    finally:
        await connection.close()
    return sorted(row["name"] for row in rows)
