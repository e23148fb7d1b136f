"""A headless Chromium (Debian's ``chromium`` package) driven over the DevTools protocol: enough
to open a page, read and click in its DOM, and list every request it made.

No WebDriver: Chromium itself listens for DevTools on a port it picks and writes to its profile.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import shutil
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import websockets

# No sandbox (tests run as root), nothing fetched in the background, a throw-away profile.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--remote-debugging-port=0",
)
START_TIMEOUT = 30.0


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Page:
    """One tab: commands in, answers and events out, over its DevTools WebSocket."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.ids = itertools.count(1)
        self.requests: list[str] = []  # every URL the page asked for, in order

    async def command(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        await self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(await self.socket.recv())
            if message.get("method") == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})  # type: ignore[no-any-return]

    async def evaluate(self, expression: str) -> Any:
        answer = await self.command("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in answer:
            raise RuntimeError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    async def wait_for(self, expression: str, *, timeout: float, what: str) -> Any:
        """Evaluates ``expression`` until it is truthy; fails with the page's text otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(0.2)
        body = await self.evaluate("document.body ? document.body.innerText : ''")
        raise AssertionError(f"{what}: not within {timeout:.0f} s; the page shows:\n{body}")


@contextlib.asynccontextmanager
async def open_page(binary: str, profile: Path, url: str) -> AsyncIterator[Page]:
    """Starts Chromium with a fresh profile, opens ``url`` in its tab; stops it by pid after."""
    profile.mkdir(parents=True, exist_ok=True)
    log = (profile.parent / "chromium.log").open("wb")
    process = subprocess.Popen(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        port = await _devtools_port(profile, process)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as answer:
                targets = await answer.json()
        tab = next(t for t in targets if t["type"] == "page")
        async with websockets.connect(tab["webSocketDebuggerUrl"], max_size=2**24) as socket:
            page = Page(socket)
            await page.command("Network.enable")
            await page.command("Page.enable")
            await page.command("Page.navigate", url=url)
            yield page
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


async def _devtools_port(profile: Path, process: subprocess.Popen[bytes]) -> int:
    """Chromium writes the port it listens on as the first line of DevToolsActivePort."""
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited with code {process.returncode}")
        with contextlib.suppress(OSError, ValueError, IndexError):
            return int(marker.read_text().splitlines()[0])
        await asyncio.sleep(0.1)
    raise RuntimeError(f"chromium did not open its DevTools port in {START_TIMEOUT:.0f} s")


def ci() -> bool:
    return bool(os.environ.get("CI"))
