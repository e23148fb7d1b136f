"""A multipart request's work is bounded before and while it is read (found by a hostile pass:
200,000 empty parts of one name, sent chunked with a forged token, held the API at 100 % CPU for
24 s): a token that does not verify is refused unread, a repeated part name is refused, the
bytes read from the connection count whole, a file goes into `variables` only, and a file that
only begins like an image is no photo. A genuine token that no longer works (signed out, its
account deactivated or given a new role) is refused unread too: the upload's own session check
came only once the whole body was read."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from domain.roles import Role
from tests.api.flow import JourneyDriver
from tests.api.photo_support import UPLOAD, set_consent, upload
from tests.api.sessions import REVOCATIONS, Revoke, new_account, sign_in
from tests.images import png

BOUNDARY = "glowpath-test-boundary"
MAP = json.dumps({"0": ["variables.input.file"]})
REFUSED_WITHIN = 10  # seconds: a refusal unread comes at once; a body is awaited for 120 s


def _part(name: str, value: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
    return head + value + b"\r\n"


def _operations(variables: dict[str, object]) -> bytes:
    return json.dumps({"query": UPLOAD, "variables": variables}).encode()


async def _answer(
    driver: JourneyDriver, body: AsyncIterator[bytes] | bytes, token: str | None = None
) -> tuple[int, dict[str, Any]]:
    """The status and the one error of a refused multipart request."""
    headers = {
        "Authorization": f"Bearer {token or driver.token(Role.NURSE)}",
        "GraphQL-Require-Preflight": "1",
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
    }
    async with aiohttp.ClientSession() as session:
        async with session.post(driver.api.url, data=body, headers=headers) as answer:
            (error,) = (await answer.json())["errors"]
            return answer.status, error


async def _send(
    driver: JourneyDriver, body: AsyncIterator[bytes] | bytes, token: str | None = None
) -> tuple[int, str]:
    status, error = await _answer(driver, body, token)
    return status, error["message"]


def _token_refused(reason: str) -> dict[str, Any]:
    """A token refused as a subscription ended by its session is: sign in again."""
    return {"message": f"{reason}: sign in again", "extensions": {"code": "NOT_AUTHORIZED"}}


async def test_a_forged_token_is_refused_before_the_body_is_read(driver: JourneyDriver) -> None:
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        while sent < 64 * 1024**2:  # bounded, should the server read it all
            sent += 64 * 1024
            yield _part("x", b"") * 1000

    status, error = await _answer(driver, endless(), token="forged.token.value")
    assert (status, error) == (
        401,
        _token_refused("the bearer token is forged, malformed or expired"),
    )
    assert sent < 64 * 1024**2


@REVOCATIONS
async def test_a_token_no_longer_good_is_refused_before_the_body_is_read(
    driver: JourneyDriver, revoke: Revoke, reason: str
) -> None:
    # Given a genuine token of a nurse, signed out, of an account deactivated or given a new role
    account = await new_account(Role.NURSE)
    token = await sign_in(driver.api, account)
    await revoke(driver.api, account, token)

    # When it heads an upload whose body never ends (the server read all a body may hold
    # before the upload's own session check refused the token)
    async def never_ending() -> AsyncIterator[bytes]:
        variables = {"input": {"stage": "BEFORE", "bodyArea": "cheek", "file": None}}
        yield _part("operations", _operations(variables)) + _part("map", MAP.encode())
        await asyncio.Event().wait()

    # Then it is refused at once, saying why, as a subscription is ended for it
    async with asyncio.timeout(REFUSED_WITHIN):
        status, error = await _answer(driver, never_ending(), token)
    assert (status, error) == (401, _token_refused(reason))


async def test_parts_are_counted_and_every_byte_read_counts(driver: JourneyDriver) -> None:
    variables = {"input": {"stage": "BEFORE", "bodyArea": "cheek", "file": None}}
    start = _part("operations", _operations(variables)) + _part("map", MAP.encode())
    # A part name given twice (each empty part of one name replaced the last, uncounted)
    repeated = start + _part("x", b"") + _part("x", b"") + f"--{BOUNDARY}--\r\n".encode()
    assert await _send(driver, repeated) == (400, "the form part 'x' comes twice")

    # Parts under the count, sent chunked (no length to check first), whose boundaries and
    # headers alone pass the ceiling (twice the largest photo plus 1 MiB)
    header = b"X-Padding: " + b"p" * 8000 + b"\r\n"

    async def padded() -> AsyncIterator[bytes]:
        yield start
        for n in range(6):
            yield f"--{BOUNDARY}\r\n".encode() + header * 100
            yield f'Content-Disposition: form-data; name="p{n}"\r\n\r\n\r\n'.encode()

    status, message = await _send(driver, padded())
    assert (status, message.startswith("the request body is larger than")) == (413, True)
    # And a part with more headers than a reader takes is the caller's mistake, not a fault
    many = start + f"--{BOUNDARY}\r\n".encode() + b"X-A: b\r\n" * 200 + b"\r\n\r\n"
    assert await _send(driver, many) == (400, "the multipart body cannot be read")


async def test_a_file_goes_into_variables_only(driver: JourneyDriver) -> None:
    variables = {"input": {"stage": "BEFORE", "bodyArea": "cheek", "file": None}}
    body = (
        _part("operations", _operations(variables))
        + _part("map", json.dumps({"0": ["operationName"]}).encode())
        + _part("0", png(), filename="photo.png")
        + f"--{BOUNDARY}--\r\n".encode()
    )
    assert await _send(driver, body) == (400, "a file may only be mapped into `variables`")


async def test_a_file_that_only_begins_like_an_image_is_refused(driver: JourneyDriver) -> None:
    client = await driver.register_client()
    journey = await driver.start(client)
    await set_consent(driver, client, "CLINICAL_RECORD", True)
    disguised = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
    answer = await upload(driver, Role.NURSE, disguised, clientId=client, journeyId=journey["id"])
    assert answer["__typename"] == "ValidationFailed", answer
    assert answer["problems"] == [{"field": "file", "message": "not a JPEG, PNG or HEIC image"}]


async def test_a_body_must_open_with_its_boundary(driver: JourneyDriver) -> None:
    # Lines before the first boundary were skipped without end, on the event loop
    body = b"a\r\n" * 100_000 + _part("operations", b"{}") + f"--{BOUNDARY}--\r\n".encode()
    assert await _send(driver, body) == (400, "the multipart body cannot be read")


async def test_operations_nested_deep_are_refused_not_a_fault(driver: JourneyDriver) -> None:
    # Given `operations` nested 600 deep: JSON reads it, Strawberry's copy of it (made to put
    # the files in) ran out of stack and the answer was a plain-text 500 with a traceback
    nested = b"[" * 600 + b"]" * 600
    operations = b'{"query": "{ __typename }", "variables": {"x": ' + nested + b"}}"
    body = _part("operations", operations) + _part("map", b"{}") + f"--{BOUNDARY}--\r\n".encode()
    # Then it is refused as the same nesting in a JSON body is
    assert await _send(driver, body) == (400, "the JSON is nested too deeply")
