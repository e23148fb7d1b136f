"""The public development key never signs tokens where others can reach the process: `glowpath
api` refuses to start on a non-loopback address without a key of its own, as the production image
would otherwise run it. `glowpath worker` signs and checks no token, so it starts there all the
same (its operations port serves probes and metrics only)."""

from __future__ import annotations

import asyncio
import re
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.api.test_operations import free_port
from tests.api.test_processes import ROOT, environment, stop, wait_ready

EXIT_TIMEOUT = 30.0


Launch = Callable[[str, dict[str, str]], tuple[subprocess.Popen[bytes], Path]]


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


def image_without_a_key(database: str, temporal_address: str, tmp_path: Path) -> dict[str, str]:
    """The image's own settings (it listens on every address), no GLOWPATH_SECRET_KEY, and
    state and ports of the test's own."""
    image = image_environment()
    assert image["GLOWPATH_HTTP_HOST"] == "0.0.0.0"
    env = environment(database, temporal_address)
    env.update(image)
    del env["GLOWPATH_SECRET_KEY"]
    env.update(
        GLOWPATH_DATA_DIR=str(tmp_path / "var"),
        GLOWPATH_HTTP_PORT=str(free_port()),
        GLOWPATH_WORKER_HTTP_PORT=str(free_port()),
    )
    return env


async def test_the_image_without_a_secret_key_refuses_to_serve_the_api(
    start: Launch, database: str, temporal_address: str, tmp_path: Path
) -> None:
    # Given the image's settings and no GLOWPATH_SECRET_KEY
    env = image_without_a_key(database, temporal_address, tmp_path)
    # When the API starts
    process, log = start("api", env)
    # Then it stops at once, saying what to set
    assert await exit_code(process) == 2, log.read_text()
    said = log.read_text()
    assert "refusing to start" in said and "GLOWPATH_SECRET_KEY" in said, said
    assert "0.0.0.0" in said


async def test_the_image_without_a_secret_key_still_runs_the_worker(
    start: Launch, database: str, temporal_address: str, tmp_path: Path
) -> None:
    # Given the image's settings and no GLOWPATH_SECRET_KEY (the worker signs no token)
    env = image_without_a_key(database, temporal_address, tmp_path)
    # When the worker starts, it polls: its probes answer ready on every address
    process, log = start("worker", env)
    port = env["GLOWPATH_WORKER_HTTP_PORT"]
    await wait_ready(f"http://127.0.0.1:{port}/readyz", process, log)
    assert await stop(process) == 0
    # And it says nothing of the key: it has no use for one
    assert "GLOWPATH_SECRET_KEY" not in log.read_text()


async def test_the_development_key_still_serves_on_loopback(
    start: Launch, database: str, temporal_address: str
) -> None:
    port = free_port()
    env = environment(database, temporal_address, GLOWPATH_HTTP_PORT=str(port))
    del env["GLOWPATH_SECRET_KEY"]
    process, log = start("api", env)
    await wait_ready(f"http://127.0.0.1:{port}/readyz", process, log)
    assert await stop(process) == 0
    assert "using a fixed development key" in log.read_text()
