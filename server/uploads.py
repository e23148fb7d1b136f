"""Multipart requests (the graphql-multipart-request spec), read within bounds.

A photo upload is the one request larger than a JSON body may be. Strawberry's own reader takes
each file part whole into memory, however large; this one keeps at most the largest photo
accepted plus one byte of the one file part a request may carry (a larger file is marked
`oversized` and the rest of it read and dropped, so `uploadPhoto` can answer with a typed
error), bounds the text parts like a JSON body, and refuses any request whose body passes a
hard ceiling (twice the largest photo plus a JSON body) with 413 before reading further.

An account has at most `MAX_UPLOADS_PER_ACCOUNT` multipart requests in flight at once (the
upload of one more is answered 429 unread): each holds up to the largest photo in memory while
it is read, and again as its bytes are checked and stripped, for as long as its sender takes to
send it (up to the body's time limit). With no bound, one signed-in account sending 10 MiB
bodies on hundreds of connections, each held open short of its last bytes, held as many
megabytes as it liked: a photo app sends a few at a time.

A multipart form is a "simple" request to a browser: another site could send one without a
CORS preflight. So a multipart request must carry a header a browser sends only after a
preflight (`GraphQL-Require-Preflight`, or Apollo's `Apollo-Require-Preflight` and
`X-Apollo-Operation-Name`) and a bearer token that still works, as every upload needs a
signed-in caller: a token refused is answered before the body is read.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.multipart import BodyPartReader, MultipartReader
from cross_web import AiohttpHTTPRequestAdapter, HTTPException
from cross_web.request._base import FormData

from domain.auth import SigningKeys, read_token
from domain.errors import ErrorCode
from schema.auth.session import bearer_token, check_session
from server.in_flight import InFlightPerKey
from server.request_body import MAX_BODY_BYTES

PREFLIGHT_HEADERS = (
    "GraphQL-Require-Preflight",
    "Apollo-Require-Preflight",
    "X-Apollo-Operation-Name",
)
MAX_FILE_PARTS = 1
# Multipart requests of one account in flight at once, in one process (whose memory they take).
MAX_UPLOADS_PER_ACCOUNT = 4
MAX_TEXT_PARTS = 8
PREAMBLE_LINES = 3
CHUNK = 64 * 1024


class UploadedFile(BytesIO):
    """A file part as far as it was kept; `oversized`: it went on past the limit."""

    def __init__(self, data: bytes, oversized: bool) -> None:
        super().__init__(data)
        self.oversized = oversized

    def __repr__(self) -> str:
        return "<Upload>"  # never the server's class and address, in any message


# graphql-core names a value a variable cannot take by its class ("<UploadedFile instance>" for
# a file mapped into a text field): the client hears the schema's own name for a file instead.
UploadedFile.__name__ = "Upload"


def _map_problem(text: str | None) -> str | None:
    """A file mapped anywhere but into the variables (the spec's only place for one):
    Strawberry put it into `operationName` too, and its message then showed the object."""
    try:
        mapped = json.loads(text) if text else {}
    except ValueError:
        return None  # Strawberry answers a map that is not JSON
    paths = (
        [p for ps in mapped.values() if isinstance(ps, list) for p in ps]
        if isinstance(mapped, dict)
        else []
    )
    if any(not (isinstance(p, str) and p.startswith("variables.")) for p in paths):
        return "a file may only be mapped into `variables`"
    return None


def is_multipart(request: web.Request) -> bool:
    return request.content_type == "multipart/form-data"


def hard_limit(max_file_bytes: int) -> int:
    return 2 * max_file_bytes + MAX_BODY_BYTES


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str
    code: str = "BAD_REQUEST"


def _token_refused(reason: str) -> Refusal:
    # Said as a subscription ended by its session says it: the SPA signs in again.
    return Refusal(401, f"{reason}: sign in again", ErrorCode.NOT_AUTHORIZED.value)


async def refusal(request: web.Request, max_file_bytes: int, keys: SigningKeys) -> Refusal | None:
    """Why a multipart request is refused before its body is read; None: read it."""
    if not any(request.headers.get(name, "").strip() for name in PREFLIGHT_HEADERS):
        return Refusal(
            400,
            "a multipart request must carry the header GraphQL-Require-Preflight: 1 "
            "(it makes browsers ask the API first)",
        )
    token = bearer_token(request.headers.get("Authorization"))
    if token is None:
        return _token_refused("a multipart request must carry a bearer token")
    # Checked before the body is read: a forged or expired token costs its sender the body.
    if read_token(token, keys, time.time()) is None:
        return _token_refused("the bearer token is forged, malformed or expired")
    length = request.content_length
    if length is not None and length > hard_limit(max_file_bytes):
        return Refusal(413, f"the request body is larger than {hard_limit(max_file_bytes):,} bytes")
    # A genuine token signed out, or of an account deactivated or given a new role since, was
    # refused by the upload's own session check, once the whole body had been read. Looked up
    # here too (the operation looks again when it runs); a lookup that fails is left to it.
    try:
        session = await check_session(token, keys)
    except Exception:
        return None
    if session is not None and session.problem is not None:
        return _token_refused(session.problem)
    return None


def uploader(request: web.Request, keys: SigningKeys) -> str:
    """The account a multipart request `refusal` let through is sent by."""
    token = read_token(bearer_token(request.headers.get("Authorization")) or "", keys, time.time())
    return token.account_id if token is not None else ""


class UploadsPerAccount(InFlightPerKey):
    """The multipart requests each account has in flight, within `MAX_UPLOADS_PER_ACCOUNT`."""

    def limit(self) -> int:
        return MAX_UPLOADS_PER_ACCOUNT


class _BoundaryFirst(MultipartReader):
    """A body must open with its boundary (a browser sends no preamble; a blank line or two are
    let pass). aiohttp's reader skipped any number of lines before it, on the event loop: 6 MB
    of short lines took 2 s of CPU before the first part."""

    async def _read_until_first_boundary(self) -> None:
        for _ in range(PREAMBLE_LINES):
            line = (await self._readline()).rstrip()
            if line == self._boundary:
                return
            if line == self._boundary + b"--":
                self._at_eof = True
                return
            if line:
                break
        raise ValueError("the multipart body does not open with its boundary")


class BoundedUploadAdapter(AiohttpHTTPRequestAdapter):
    def __init__(self, request: web.Request, *, max_file_bytes: int) -> None:
        super().__init__(request)
        self.max_file_bytes = max_file_bytes

    @property
    def content_type(self) -> str | None:
        """The header with its media type in lower case: a media type is case-insensitive
        (RFC 9110), and Strawberry compares it as written, so `APPLICATION/JSON` was refused as
        an unsupported content type. Its parameters are left as they came."""
        header = self.request.headers.get("Content-Type")
        if header is None:
            return None
        media_type, semicolon, parameters = header.partition(";")
        return media_type.strip().lower() + semicolon + parameters

    def _check_read(self) -> None:
        """Every byte taken from the connection counts, boundaries and part headers too (a
        chunked body has no length to check first)."""
        limit = hard_limit(self.max_file_bytes)
        if self.request.content.total_bytes > limit:
            raise HTTPException(413, f"the request body is larger than {limit:,} bytes")

    async def _chunks(self, part: BodyPartReader) -> Any:
        while chunk := await part.read_chunk(CHUNK):
            self._check_read()
            yield chunk

    async def _file(self, part: BodyPartReader) -> UploadedFile:
        kept = bytearray()
        async for chunk in self._chunks(part):
            if len(kept) <= self.max_file_bytes:
                kept += chunk[: self.max_file_bytes + 1 - len(kept)]
        return UploadedFile(bytes(kept), oversized=len(kept) > self.max_file_bytes)

    async def _text(self, part: BodyPartReader) -> str:
        kept = bytearray()
        async for chunk in self._chunks(part):
            kept += chunk
            if len(kept) > MAX_BODY_BYTES:
                raise HTTPException(413, f"a form field is larger than {MAX_BODY_BYTES:,} bytes")
        try:
            return kept.decode(part.get_charset("utf-8"))
        except (UnicodeDecodeError, LookupError):
            raise HTTPException(400, "a form field is not valid text") from None

    async def get_form_data(self) -> FormData:
        if not is_multipart(self.request):
            return await super().get_form_data()
        try:
            reader = _BoundaryFirst(self.request.headers, self.request.content)
            form: dict[str, Any] = {}
            files: dict[str, Any] = {}
            while (part := await reader.next()) is not None:
                self._check_read()
                if not isinstance(part, BodyPartReader) or not part.name:
                    raise HTTPException(400, "every form part needs a name; no nested parts")
                # Parts are counted, not names: 200,000 empty parts of one name were all read.
                if part.name in form or part.name in files:
                    raise HTTPException(400, f"the form part {part.name[:40]!r} comes twice")
                if part.filename is not None:
                    if len(files) >= MAX_FILE_PARTS:
                        raise HTTPException(400, f"at most {MAX_FILE_PARTS} file per request")
                    files[part.name] = await self._file(part)
                else:
                    if len(form) >= MAX_TEXT_PARTS:
                        raise HTTPException(400, "too many form fields")
                    form[part.name] = await self._text(part)
        # aiohttp's malformed multipart (a part with too many or too long headers among them)
        except (ValueError, AssertionError, HttpProcessingError) as error:
            raise HTTPException(400, "the multipart body cannot be read") from error
        problem = _map_problem(form.get("map"))
        if problem:
            raise HTTPException(400, problem)
        return FormData(files=files, form=form)
