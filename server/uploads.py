"""Multipart requests (the graphql-multipart-request spec), read within bounds.

A photo upload is the one request larger than a JSON body may be. Strawberry's own reader takes
each file part whole into memory, however large; this one keeps at most the largest photo
accepted plus one byte of the one file part a request may carry (a larger file is marked
`oversized` and the rest of it read and dropped, so `uploadPhoto` can answer with a typed
error), bounds the text parts like a JSON body, and refuses any request whose body passes a
hard ceiling (twice the largest photo plus a JSON body) with 413 before reading further.

A multipart form is a "simple" request to a browser: another site could send one without a
CORS preflight. So a multipart request must carry a header a browser sends only after a
preflight (`GraphQL-Require-Preflight`, or Apollo's `Apollo-Require-Preflight` and
`X-Apollo-Operation-Name`) and a bearer token, as every upload needs a signed-in caller.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from aiohttp import web
from aiohttp.multipart import BodyPartReader
from cross_web import AiohttpHTTPRequestAdapter, HTTPException
from cross_web.request._base import FormData

from server.request_body import MAX_BODY_BYTES

PREFLIGHT_HEADERS = (
    "GraphQL-Require-Preflight",
    "Apollo-Require-Preflight",
    "X-Apollo-Operation-Name",
)
MAX_FILE_PARTS = 1
MAX_TEXT_PARTS = 8
CHUNK = 64 * 1024


class UploadedFile(BytesIO):
    """A file part as far as it was kept; `oversized`: it went on past the limit."""

    def __init__(self, data: bytes, oversized: bool) -> None:
        super().__init__(data)
        self.oversized = oversized


# graphql-core names a value a variable cannot take by its class ("<UploadedFile instance>" for
# a file mapped into a text field): the client hears the schema's own name for a file instead.
UploadedFile.__name__ = "Upload"


def is_multipart(request: web.Request) -> bool:
    return request.content_type == "multipart/form-data"


def hard_limit(max_file_bytes: int) -> int:
    return 2 * max_file_bytes + MAX_BODY_BYTES


def refusal(request: web.Request, max_file_bytes: int) -> tuple[int, str] | None:
    """Why a multipart request is refused before its body is read; None: read it."""
    if not any(request.headers.get(name, "").strip() for name in PREFLIGHT_HEADERS):
        return 400, (
            "a multipart request must carry the header GraphQL-Require-Preflight: 1 "
            "(it makes browsers ask the API first)"
        )
    if not request.headers.get("Authorization", "").lower().startswith("bearer "):
        return 401, "a multipart request must carry a bearer token"
    length = request.content_length
    if length is not None and length > hard_limit(max_file_bytes):
        return 413, f"the request body is larger than {hard_limit(max_file_bytes):,} bytes"
    return None


class BoundedUploadAdapter(AiohttpHTTPRequestAdapter):
    def __init__(self, request: web.Request, *, max_file_bytes: int) -> None:
        super().__init__(request)
        self.max_file_bytes = max_file_bytes
        self._read = 0

    async def _chunks(self, part: BodyPartReader) -> Any:
        while chunk := await part.read_chunk(CHUNK):
            self._read += len(chunk)
            if self._read > hard_limit(self.max_file_bytes):
                limit = hard_limit(self.max_file_bytes)
                raise HTTPException(413, f"the request body is larger than {limit:,} bytes")
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
            reader = await self.request.multipart()
            form: dict[str, Any] = {}
            files: dict[str, Any] = {}
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader) or not part.name:
                    raise HTTPException(400, "every form part needs a name; no nested parts")
                if part.filename is not None:
                    if len(files) >= MAX_FILE_PARTS:
                        raise HTTPException(400, f"at most {MAX_FILE_PARTS} file per request")
                    files[part.name] = await self._file(part)
                else:
                    if len(form) >= MAX_TEXT_PARTS:
                        raise HTTPException(400, "too many form fields")
                    form[part.name] = await self._text(part)
        except (ValueError, AssertionError) as error:  # aiohttp's malformed multipart
            raise HTTPException(400, "the multipart body cannot be read") from error
        return FormData(files=files, form=form)
