"""The public development key never signs tokens where others can reach the process: `glowpath
api` and `glowpath worker` refuse to start on a non-loopback address without a key of their own,
as the production image would otherwise run them."""

from __future__ import annotations

import asyncio
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.api.test_operations import free_port
from tests.api.test_processes import ROOT, environment, stop, wait_ready

EXIT_TIMEOUT = 30.0


Launch = Callable[[str, dict[str, str]], tuple[subprocess.Popen[bytes], Path]]


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[Launch]:
    """Starts `glowpath <command>` with exactly the given environment; kills it at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def run(command: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], Path]:
        log = tmp_path / f"{command}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "server.cli", command],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        started.append(process)
        return process, log

    yield run
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def image_environment() -> dict[str, str]:
    """The GLOWPATH_* variables the Dockerfile's final stage sets."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    final_stage = re.split(r"^FROM ", text, flags=re.M)[-1]
    found: dict[str, str] = {}
    for line in final_stage.splitlines():
        if line.startswith("ENV "):
            for pair in shlex.split(line.removeprefix("ENV ")):
                name, _, value = pair.partition("=")
                if name.startswith("GLOWPATH_"):
                    found[name] = value
    return found


async def exit_code(process: subprocess.Popen[bytes]) -> int:
    try:
        return await asyncio.to_thread(process.wait, EXIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running after {EXIT_TIMEOUT:.0f} s") from None


@pytest.mark.parametrize("command", ["api", "worker"])
async def test_the_image_without_a_secret_key_refuses_to_start(
    launch: Launch, database: str, temporal_address: str, tmp_path: Path, command: str
) -> None:
    # Given the image's own settings (it listens on every address) and no GLOWPATH_SECRET_KEY
    image = image_environment()
    assert image["GLOWPATH_HTTP_HOST"] == "0.0.0.0"
    env = environment(database, temporal_address)
    env.update(image)
    del env["GLOWPATH_SECRET_KEY"]
    # (state and ports of this test's own, should it start after all)
    env.update(
        GLOWPATH_DATA_DIR=str(tmp_path / "var"),
        GLOWPATH_HTTP_PORT=str(free_port()),
        GLOWPATH_WORKER_HTTP_PORT=str(free_port()),
    )
    # When it starts
    process, log = launch(command, env)
    # Then it stops at once, saying what to set
    assert await exit_code(process) == 2, log.read_text()
    said = log.read_text()
    assert "refusing to start" in said and "GLOWPATH_SECRET_KEY" in said, said
    assert "0.0.0.0" in said


async def test_the_development_key_still_serves_on_loopback(
    launch: Launch, database: str, temporal_address: str
) -> None:
    port = free_port()
    env = environment(database, temporal_address, GLOWPATH_HTTP_PORT=str(port))
    del env["GLOWPATH_SECRET_KEY"]
    process, log = launch("api", env)
    await wait_ready(f"http://127.0.0.1:{port}/readyz", process, log)
    assert await stop(process) == 0
    assert "using a fixed development key" in log.read_text()
