"""An account has a bounded number of uploads in flight at once.

Each multipart request holds up to the largest photo in memory while it is read, for as long as
its sender takes (up to the body's time limit, 120 s by default). Nothing bounded how many one
account sent at once: a signed-in account holding hundreds of bodies open, each short of its last
bytes, held hundreds of times the largest photo. The one past the bound is answered 429 unread;
another account's uploads, and the account's own once one of its uploads ends, are read.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest

from domain.roles import Role
from server import uploads
from tests.api.harness import Api
from tests.api.photo_support import UPLOAD
from tests.api.sessions import new_account, sign_in

AT_ONCE = 2  # the uploads one account may send at once, in these tests
BOUNDARY = "glowpath-test-boundary"
WITHIN = 15.0  # seconds: the one past the bound is refused at once; a loaded machine's margin


def _part(name: str, value: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value


def _opening() -> bytes:
    """An upload's text parts and the start of its file: a client it names exists nowhere, so
    the upload, once whole, is refused and writes nothing."""
    variables = {
        "input": {
            "clientId": "Q2xpZW50Om5vLXN1Y2gtY2xpZW50",
            "journeyId": "Sm91cm5leTpub25l",
            "stage": "BEFORE",
            "bodyArea": "cheeks",
            "file": None,
        }
    }
    operations = json.dumps({"query": UPLOAD, "variables": variables}).encode()
    map_ = json.dumps({"0": ["variables.input.file"]}).encode()
    return (
        _part("operations", operations)
        + b"\r\n"
        + _part("map", map_)
        + b"\r\n"
        + _part("0", b"\x89PNG", filename="photo.png")
    )


CLOSING = f"\r\n--{BOUNDARY}--\r\n".encode()


async def _upload(api: Api, token: str, body: AsyncIterator[bytes] | bytes) -> tuple[int, str]:
    headers = {
        "Authorization": f"Bearer {token}",
        "GraphQL-Require-Preflight": "1",
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
    }
    async with aiohttp.ClientSession() as session:
        async with session.post(api.url, data=body, headers=headers) as answer:
            return answer.status, await answer.text()


async def _held(release: asyncio.Event) -> AsyncIterator[bytes]:
    """An upload's body sent as far as its file's first bytes, the rest once released."""
    yield _opening()
    await release.wait()
    yield CLOSING


async def _status(api: Api, token: str) -> int:
    status, _ = await _upload(api, token, _opening() + CLOSING)
    return status


@pytest.fixture
def bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOADS_PER_ACCOUNT", AT_ONCE)


@pytest.mark.usefixtures("bounded")
async def test_one_account_sends_a_bounded_number_of_uploads_at_once(api: Api) -> None:
    token = await sign_in(api, await new_account(Role.NURSE))
    other = await sign_in(api, await new_account(Role.NURSE))
    release = asyncio.Event()
    # Given an account sending one upload more than it may at once, their bodies still coming
    sending = [asyncio.create_task(_upload(api, token, _held(release))) for _ in range(AT_ONCE + 1)]
    try:
        # Then the one past the bound is refused unread, whichever it is
        done, held = await asyncio.wait(
            sending, timeout=WITHIN, return_when=asyncio.FIRST_COMPLETED
        )
        assert len(done) == 1, "every upload was read at once"
        status, text = done.pop().result()
        (error,) = json.loads(text)["errors"]
        assert (status, error["extensions"]) == (429, {"code": "TOO_MANY_UPLOADS"})
        # And another account's upload is read (and refused for the client it names)
        assert await _status(api, other) == 200
        # When the account's uploads are sent whole
        release.set()
        assert [status for status, _ in await asyncio.gather(*held)] == [200] * AT_ONCE
        # Then its next upload is read again
        assert await _status(api, token) == 200
    finally:
        release.set()
        for task in sending:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*sending, return_exceptions=True)
