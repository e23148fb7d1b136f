"""The whole test suite on SQLite, then again on PostgreSQL when a server answers (`make test`).

    python -m tests.run_suites [PYTEST ARGS...]

PostgreSQL: ``GLOWPATH_TEST_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``)
names a server and a database to connect to for administration. The run gets a fresh database,
``glowpath_test_<random>``, created before and dropped after, so runs never share state.
``GLOWPATH_TEST_POSTGRES``: ``auto`` (default: run when reachable, else say it was skipped),
``require`` (unreachable is a failure) or ``off``.
Exit status: 0 only when every run passed.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

import asyncpg

DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
CONNECT_TIMEOUT = 3.0


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


def pytest(args: Sequence[str], database_url: str | None) -> int:
    env = dict(os.environ)
    env.pop("GLOWPATH_TEST_DATABASE_URL", None)
    if database_url:
        env["GLOWPATH_TEST_DATABASE_URL"] = database_url
    process = subprocess.Popen([sys.executable, "-m", "pytest", *args], env=env)
    try:
        return process.wait()
    except BaseException:  # interrupted or terminated: stop the run before cleaning up
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        raise


def run_on_postgres(args: Sequence[str], url: str) -> int:
    name = f"glowpath_test_{secrets.token_hex(4)}"
    asyncio.run(_admin(url, f'CREATE DATABASE "{name}"'))
    try:
        host = urlsplit(url).netloc.rpartition("@")[2]
        print(f"\n=== The test suite on PostgreSQL ({host}, database {name}) ===", flush=True)
        return pytest(args, with_database(url, name))
    finally:
        try:
            asyncio.run(_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except Exception as exc:
            print(f"could not drop the test database {name}: {exc}", file=sys.stderr)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds, so the test database is still dropped


def main(argv: Sequence[str]) -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    args = list(argv) or ["-q"]
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
    print("=== The test suite on SQLite ===", flush=True)
    status = pytest(args, None)
    if mode != "off" and problem is None:
        status = run_on_postgres(args, url) or status
    elif mode == "require":
        print("GLOWPATH_TEST_POSTGRES=require: PostgreSQL was not reachable", file=sys.stderr)
        status = status or 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
