"""A command that cannot reach the database or Temporal, or write its output, says so in one line
and exits 1 (which the README's schedules alert on), instead of printing a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A loopback port nothing listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def glowpath(tmp_path: Path, *args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GLOWPATH_")}
    env.update({"GLOWPATH_DATA_DIR": str(tmp_path / "var"), "PYTHONPATH": str(ROOT), **variables})
    command = [sys.executable, "-m", "server.cli", *args]
    return subprocess.run(
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=90
    )


@pytest.mark.parametrize("command", [["migrate"], ["audit", "verify"]])
def test_a_database_that_refuses_the_connection(tmp_path: Path, command: list[str]) -> None:
    url = f"postgres://glowpath:secret-pw@127.0.0.1:{closed_port()}/glowpath"
    done = glowpath(tmp_path, *command, GLOWPATH_DATABASE_URL=url)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "GLOWPATH_DATABASE_URL" in done.stderr
    assert "secret-pw" not in done.stderr


def test_reconcile_with_temporal_unreachable(tmp_path: Path) -> None:
    address = f"127.0.0.1:{closed_port()}"
    # (on a current read model: one that lacks a migration is refused before Temporal is asked)
    assert glowpath(tmp_path, "migrate").returncode == 0
    done = glowpath(tmp_path, "reconcile", GLOWPATH_TEMPORAL_ADDRESS=address)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert f"Temporal at {address} is unreachable" in done.stderr


def test_export_schema_to_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "schema.graphql"
    done = glowpath(tmp_path, "export-schema", "--output", str(target))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert f"cannot write {target}: No such file or directory" in done.stderr


@pytest.mark.parametrize("command", [["migrate"], ["seed"], ["api"], ["worker"], ["dev"]])
def test_a_data_folder_that_cannot_be_made(tmp_path: Path, command: list[str]) -> None:
    # Given GLOWPATH_DATA_DIR naming a file, where the SQLite database's folder would go
    taken = tmp_path / "taken"
    taken.write_text("a file, not a folder\n")
    done = glowpath(tmp_path, *command, GLOWPATH_DATA_DIR=str(taken))
    # Then the command stops before it starts anything, in one line naming the settings
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"glowpath: cannot make the folder {taken}: "), line
    assert "GLOWPATH_DATA_DIR" in line and "GLOWPATH_DATABASE_URL" in line


def test_a_sqlite_database_that_is_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "glowpath.sqlite3"
    folder.mkdir()
    done = glowpath(tmp_path, "migrate", GLOWPATH_DATABASE_URL=f"sqlite://{folder}")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    (line,) = done.stderr.splitlines()
    assert line == (
        f"glowpath: the SQLite database {folder} is a folder: check GLOWPATH_DATABASE_URL"
    ), line


def test_a_database_url_that_cannot_be_read_is_refused_in_one_line(tmp_path: Path) -> None:
    # (the modules every command imports read no setting themselves: the settings say it)
    url = "postgres://glowpath:secret-pw@db.internal:notaport/glowpath"
    done = glowpath(tmp_path, "migrate", GLOWPATH_DATABASE_URL=url)
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("glowpath: GLOWPATH_DATABASE_URL: cannot read the URL"), line
    assert "secret-pw" not in line
