"""The whole test suite on SQLite and on PostgreSQL when a server answers (`make test`).

    python -m tests.run_suites [PYTEST ARGS...]

PostgreSQL: ``GLOWPATH_TEST_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``)
names a server and a database to connect to for administration. The run gets a fresh database,
``glowpath_test_<random>``, created before and dropped after, so runs never share state. It is a
copy of the run's template, ``glowpath_test_<random>_template``, migrated once before pytest
starts, and so is each worker's database (tests/conftest.py): a worker starts at the latest
migration instead of walking every migration from an empty database.
``GLOWPATH_TEST_POSTGRES``: ``auto`` (default: run when reachable, else say it was skipped),
``require`` (unreachable is a failure) or ``off``.
``GLOWPATH_TEST_IN_PARALLEL``: ``1`` (default) runs the two suites at the same time, each line of
their output prefixed with its database (each waits on Temporal and its database far more than
it computes, so two cores run both in little more than the longer one's time); ``0`` runs them
one after the other. They share nothing: each has its own Temporal servers, database and
temporary files.
``GLOWPATH_TEST_WORKERS``: how many pytest-xdist workers run each suite (default 2; ``1`` runs it
in pytest's own process). Each worker has its own Temporal servers and database too; a file's
tests run on one worker, the files holding long tests first.
``GLOWPATH_TEST_SUITE_LIMIT_SECONDS``: how long a suite may run (default 2400): past it, its
Python processes print their stacks and the suite is stopped, failed. Whatever a suite's pytest
leaves running when it exits is stopped, and named (tests/suite_processes.py).
Exit status: 0 only when every run passed.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import IO
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from domain.store.db import apply_migrations
from tests import suite_processes

DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
CONNECT_TIMEOUT = 3.0
# Measured with one worker a suite, two suites side by side left a core idle about half the time
DEFAULT_WORKERS = 2
# Twice a suite's usual time on a loaded machine, well inside CI's limit: past it, a suite hangs.
DEFAULT_SUITE_LIMIT_SECONDS = 2400.0


def workers_args(args: Sequence[str]) -> list[str]:
    """pytest-xdist's arguments for ``GLOWPATH_TEST_WORKERS`` workers a suite, unless `args`
    choose the workers themselves."""
    raw = os.environ.get("GLOWPATH_TEST_WORKERS", "").strip() or str(DEFAULT_WORKERS)
    if not raw.isdigit():
        raise ValueError(f"GLOWPATH_TEST_WORKERS: expected a number, got {raw!r}")
    # Workers chosen by hand, xdist turned off, or a debugger asked for (it needs one process)
    chosen = any(
        arg.startswith(("-n", "--numprocesses")) or "no:xdist" in arg or arg == "--pdb"
        for arg in args
    )
    if int(raw) <= 1 or chosen:
        return []
    # In the collection's order, which puts the long files first (tests/conftest.py), not
    # xdist's (the files with the most tests first)
    return ["-n", raw, "--dist", "loadfile", "--no-loadscope-reorder"]


def admin_url() -> str:
    return os.environ.get("GLOWPATH_TEST_POSTGRES_URL", "").strip() or DEFAULT_ADMIN_URL


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


async def _admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def postgres_problem(url: str) -> str | None:
    """None when PostgreSQL answers at ``url``, else why not."""
    try:
        asyncio.run(_admin(url, "SELECT 1"))
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        return f"{type(exc).__name__}: {exc}".strip()
    return None


# The pytest processes running now: an interrupted side-by-side run stops them all, and starts
# none after (the PostgreSQL suite may still be migrating its template then).
_running: set[subprocess.Popen[bytes]] = set()
# The thread the PostgreSQL suite runs on beside the SQLite one's: a name of this module's, for a
# test to replace (replacing `threading.Thread` itself reached every thread its process started).
SuiteThread = threading.Thread
_starting = threading.Lock()
_stopped = threading.Event()
# Each prefixed run's closing line ("3 failed, 600 passed, 10 skipped in 540.12s"), by prefix.
_closing: dict[str, str] = {}
_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped)")


def pytest(
    args: Sequence[str], database_url: str | None, prefix: str = "", template: str | None = None
) -> int:
    """Runs pytest on the database, its workers' databases copies of `template` when given;
    with a `prefix`, each line of its output carries it."""
    env = dict(os.environ)
    env.pop("GLOWPATH_TEST_DATABASE_URL", None)
    env.pop("GLOWPATH_TEST_DATABASE_TEMPLATE", None)
    if database_url:
        env["GLOWPATH_TEST_DATABASE_URL"] = database_url
    if template:
        env["GLOWPATH_TEST_DATABASE_TEMPLATE"] = template
    # From the interpreter's start, not from pytest's own (after its imports): a suite stopped
    # past its limit prints its stacks wherever it is, starting up or exiting included.
    env["PYTHONFAULTHANDLER"] = "1"
    mark = env[suite_processes.MARK] = secrets.token_hex(8)
    limit = suite_limit_seconds()
    piped = subprocess.PIPE if prefix else None
    with _starting:
        if _stopped.is_set():
            print(f"{prefix}pytest not started: the run was interrupted", flush=True)
            return 1
        process = subprocess.Popen(
            [sys.executable, "-m", "pytest", *args],
            env=env,
            stdout=piped,
            stderr=subprocess.STDOUT if prefix else None,
        )
        _running.add(process)
    reader = None
    if process.stdout is not None:
        reader = threading.Thread(
            target=_forward, args=(process.stdout, prefix), name=f"{prefix}output", daemon=True
        )
        reader.start()
    try:
        status = _wait(process, prefix, mark, limit)
        if status < 0:
            print(f"{prefix}pytest was killed by signal {-status}", flush=True)
        return status
    except BaseException:  # interrupted or terminated: stop the run before cleaning up
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        raise
    finally:
        _running.discard(process)
        left = suite_processes.stop_left_behind(mark)
        if left:
            names = ", ".join(f"{name} ({pid})" for pid, name in sorted(left.items()))
            count = f"{len(left)} process" + ("es" if len(left) > 1 else "")
            print(f"{prefix}stopped {count} the suite left behind: {names}", flush=True)
        if reader is not None:
            # Whatever held its output open is stopped: what is left of it is read to the end
            reader.join(timeout=suite_processes.SETTLE_SECONDS)


def _forward(output: IO[bytes], prefix: str) -> None:
    """Copies a suite's output to ours, each line prefixed, keeping its closing line."""
    for line in iter(output.readline, b""):
        text = line.decode(errors="replace")
        if _COUNT.search(text) and " in " in text:
            _closing[prefix] = text
        sys.stdout.write(f"{prefix}{text}")
        sys.stdout.flush()


def _wait(process: subprocess.Popen[bytes], prefix: str, mark: str, limit: float) -> int:
    """The suite's exit status; past the suite's limit, its stacks are printed, it is stopped
    and it failed."""
    try:
        return process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        said = f"{prefix}the suite ran past its {limit:.0f} s limit: its stacks, then stopped"
        print(said, flush=True)
        suite_processes.dump_stacks_and_stop(mark)
        process.wait()
        return 1


def suite_limit_seconds() -> float:
    """``GLOWPATH_TEST_SUITE_LIMIT_SECONDS``, read before a suite starts (a bad one stops the
    run before any suite does)."""
    raw = os.environ.get("GLOWPATH_TEST_SUITE_LIMIT_SECONDS", "").strip()
    refused = ValueError(f"GLOWPATH_TEST_SUITE_LIMIT_SECONDS: expected seconds, got {raw!r}")
    try:
        limit = float(raw) if raw else DEFAULT_SUITE_LIMIT_SECONDS
    except ValueError:
        raise refused from None
    if not limit > 0:
        raise refused
    return limit


def run_on_postgres(args: Sequence[str], url: str, prefix: str = "") -> int:
    name = f"glowpath_test_{secrets.token_hex(4)}"
    template = f"{name}_template"
    try:
        host = urlsplit(url).netloc.rpartition("@")[2]
        print(f"\n=== The test suite on PostgreSQL ({host}, database {name}) ===", flush=True)
        asyncio.run(_migrated_template(url, template))
        asyncio.run(_admin(url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        return pytest(args, with_database(url, name), prefix, template)
    finally:
        try:
            asyncio.run(_drop_run_databases(url, name))
        except Exception as exc:
            print(f"could not drop the test database {name}: {exc}", file=sys.stderr)


async def _migrated_template(url: str, template: str) -> None:
    """A new database at the latest migration, with no connection left to it: PostgreSQL copies
    a database only while no one else is connected to it."""
    await _admin(url, f'CREATE DATABASE "{template}"')
    await apply_migrations(with_database(url, template))


async def _drop_run_databases(url: str, name: str) -> None:
    """Drops the run's database and those named after it, its template, its workers'
    (`name_gw0`, ...) and their migration templates (`name_gw0_m...`): a worker that died (a
    test past its timeout, a signal) never dropped its own."""
    connection = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT)
    try:
        pattern = name.replace("_", "\\_") + "\\_%"
        named_after = await connection.fetch(
            "SELECT datname FROM pg_database WHERE datname LIKE $1", pattern
        )
        for database in [row["datname"] for row in named_after] + [name]:
            await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await connection.close()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds, so the test database is still dropped


def main(argv: Sequence[str]) -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    args = list(argv) or ["-q"]
    try:
        args = workers_args(args) + args
        suite_limit_seconds()
    except ValueError as exc:
        print(exc)
        return 2
    mode = os.environ.get("GLOWPATH_TEST_POSTGRES", "auto").strip().lower() or "auto"
    if mode not in ("auto", "require", "off"):
        print(f"GLOWPATH_TEST_POSTGRES: expected auto, require or off, got {mode!r}")
        return 2
    url = admin_url()
    problem = None if mode == "off" else postgres_problem(url)
    if mode == "off":
        print("PostgreSQL run turned off (GLOWPATH_TEST_POSTGRES=off): SQLite only")
    elif problem is not None:
        where = urlsplit(url).netloc.rpartition("@")[2]
        print(f"PostgreSQL not reachable at {where} ({problem}): skipped the PostgreSQL run")
    both = mode != "off" and problem is None
    if both and os.environ.get("GLOWPATH_TEST_IN_PARALLEL", "1").strip() != "0":
        status = _side_by_side(args, url)
    else:
        print("=== The test suite on SQLite ===", flush=True)
        status = pytest(args, None)
        if both:
            status = run_on_postgres(args, url) or status
    if not both and mode == "require":
        print("GLOWPATH_TEST_POSTGRES=require: PostgreSQL was not reachable", file=sys.stderr)
        status = status or 1
    return _exit_code(status)


def _side_by_side(args: Sequence[str], url: str) -> int:
    """Both suites at once (each waits on Temporal and its database far more than it computes)."""
    print("=== The test suite on SQLite [sqlite] and on PostgreSQL [postgres], side by side ===")
    statuses: dict[str, int] = {}

    def on_postgres() -> None:
        try:
            statuses["postgres"] = run_on_postgres(args, url, "[postgres] ")
        except Exception as exc:  # the database could not be made: that run failed
            print(f"[postgres] {exc}", file=sys.stderr)
            statuses["postgres"] = 1

    second = SuiteThread(target=on_postgres, name="postgres-suite")
    second.start()
    try:
        statuses["sqlite"] = pytest(args, None, "[sqlite] ")
        # Interrupted while the PostgreSQL suite goes on: it is stopped, or never started
        second.join()
    except BaseException:
        with _starting:
            _stopped.set()
            for process in list(_running):
                process.terminate()
        raise
    finally:
        second.join()
    for name in statuses:
        print(f"{name}: {_counts(_closing.get(f'[{name}] ', ''))}")
    sys.stdout.flush()
    # A pytest killed by a signal has a negative status (-15, -9): a failure like any other.
    failed = [status for status in statuses.values() if status != 0]
    return _exit_code(failed[0]) if failed else 0


def _exit_code(status: int) -> int:
    """A run's status as a shell exit code: a pytest killed by signal N (status -N) is 128 + N,
    as a shell reports it, so no killed run can pass for a passed one."""
    return 128 - status if status < 0 else status


def _counts(closing: str) -> str:
    """A suite's closing line as `N passed, N failed[, N skipped]`, the same for every run."""
    found = {word: int(number) for number, word in _COUNT.findall(closing)}
    failed = found.get("failed", 0) + found.get("error", 0) + found.get("errors", 0)
    counts = f"{found.get('passed', 0)} passed, {failed} failed"
    return counts + (f", {found['skipped']} skipped" if "skipped" in found else "")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
