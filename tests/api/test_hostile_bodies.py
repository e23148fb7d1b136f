"""Request bodies that are not a GraphQL request: each answered with a GraphQL error (400 or
413, JSON), never the plain-text 500 "Server got itself in trouble"."""

from __future__ import annotations

import asyncio
import gzip
import json
import re

import pytest

from server.request_body import MAX_BODY_BYTES
from tests.api.harness import Api
from tests.api.hostile import ANSWER_WITHIN, raw_connection, send_raw

TYPENAME = json.dumps({"query": "{ __typename }"})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"query": "{ __typename \xff\xfe }"}', "the request body is not valid UTF-8"),
        (b"\xc3\x28", "the request body is not valid UTF-8"),
        (b"null", "the request body must be a JSON object with a `query`"),
        (b'"x"', "the request body must be a JSON object with a `query`"),
        (b"42", "the request body must be a JSON object with a `query`"),
        (b"[" * 100_000 + b"]" * 100_000, "the JSON is nested too deeply"),
        (
            b'{"query": "{ __typename }", "variables": {"x": '
            + b"[" * 50_000
            + b"]" * 50_000
            + b"}}",
            "the JSON is nested too deeply",
        ),
        (b'{"query": "{ __typename }"', "the request body is not valid JSON"),
        (b"", "the request body is not valid JSON"),
        # JSON has no NaN or infinity; Python's reader took them, and no column stores them
        (b'{"query": "{ __typename }", "variables": {"x": NaN}}', "NaN is not a JSON number"),
        (b'{"query": "{ __typename }", "variables": {"x": -Infinity}}', "-Infinity is not"),
        (b'{"query": "{ __typename }", "variables": {"x": 1e999}}', "1e999 is too large"),
    ],
    ids=[
        "utf8-in-json",
        "utf8-alone",
        "null",
        "string",
        "number",
        "deep",
        "deep-vars",
        "cut",
        "empty",
        "nan",
        "infinity",
        "overflowing-float",
    ],
)
async def test_a_body_that_is_not_a_request_is_a_graphql_error(
    api: Api, body: bytes, message: str
) -> None:
    answer = await send_raw(api, body)
    assert answer.status == 400
    (error,) = answer.error_messages()
    assert message in error


async def test_an_integer_too_long_to_read_is_a_graphql_error(api: Api) -> None:
    body = '{"query": "query Q($n: Int!) { journeys(first: $n) { __typename } }", '
    body += '"variables": {"n": ' + "9" * 10_000 + "}}"
    answer = await send_raw(api, body)
    assert answer.status == 400
    (error,) = answer.error_messages()
    # Said in the API's words: Python's own told the caller to call sys.set_int_max_str_digits()
    assert error == "the JSON cannot be read: a number in it has more than 4300 digits"


async def test_an_integer_too_long_to_read_in_the_document_is_a_graphql_error(api: Api) -> None:
    # A literal of the document, not of the JSON: the Int scalar read it ("Unexpected error.")
    query = "query { journeys(first: " + "9" * 5_000 + ") { __typename } }"
    answer = await send_raw(api, json.dumps({"query": query}))
    (error,) = answer.error_messages()
    assert error == "an integer in the document has more than 4300 digits"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/graphql"]
)
async def test_another_content_type_is_a_graphql_error(api: Api, content_type: str) -> None:
    answer = await send_raw(api, TYPENAME, content_type=content_type)
    assert answer.status == 400
    assert answer.error_messages() == ["Unsupported content type"]


@pytest.mark.parametrize("content_type", ["APPLICATION/JSON", "Application/Json; charset=UTF-8"])
async def test_json_named_in_upper_case_is_read(api: Api, content_type: str) -> None:
    # A media type is case-insensitive (RFC 9110): Strawberry compared it as written, and
    # refused these as an unsupported content type
    answer = await send_raw(api, TYPENAME, content_type=content_type)
    assert (answer.status, answer.json()) == (200, {"data": {"__typename": "Query"}})


@pytest.mark.parametrize("name", [3, ["Q"], {"name": "Q"}, True])
async def test_an_operation_name_that_is_not_text_is_refused(api: Api, name: object) -> None:
    answer = await send_raw(
        api, json.dumps({"query": "query Q { __typename }", "operationName": name})
    )
    assert answer.status == 400
    assert answer.error_messages() == ["the request's `operationName` is text, or null"]


async def test_a_batch_is_refused(api: Api) -> None:
    answer = await send_raw(api, json.dumps([json.loads(TYPENAME)] * 50))
    assert answer.status == 400
    assert answer.error_messages() == ["Batching is not enabled"]


async def test_an_oversized_body_is_refused(api: Api) -> None:
    padding = "x" * (MAX_BODY_BYTES + 1)
    answer = await send_raw(
        api, json.dumps({"query": "{ __typename }", "variables": {"p": padding}})
    )
    assert answer.status == 413
    assert answer.error_messages() == [f"the request body is larger than {MAX_BODY_BYTES:,} bytes"]


async def test_a_well_formed_request_still_runs(api: Api) -> None:
    answer = await send_raw(api, TYPENAME)
    assert answer.status == 200
    assert answer.json() == {"data": {"__typename": "Query"}}


async def test_a_compressed_body_is_read_within_the_size_limit(api: Api) -> None:
    # 200 MB of JSON in 200 KB of gzip: refused once 1 MiB of it is decompressed
    bomb = b'{"query": "{ __typename }", "variables": {"p": "' + b"a" * 200 * 1024**2 + b'"}}'
    answer = await send_raw(api, gzip.compress(bomb, 9), encoding="gzip")
    assert answer.status == 413
    assert answer.error_messages() == [f"the request body is larger than {MAX_BODY_BYTES:,} bytes"]
    small = await send_raw(api, gzip.compress(TYPENAME.encode()), encoding="gzip")
    assert small.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        (TYPENAME.encode(), "gzip"),
        (TYPENAME.encode(), "deflate"),
    ],
    ids=["gzip", "deflate"],
)
async def test_a_body_that_does_not_decompress_is_a_graphql_error(
    api: Api, body: bytes, encoding: str
) -> None:
    # aiohttp's decoder failed inside the handler's read: a plain-text 500 and an ERROR traceback
    answer = await send_raw(api, body, encoding=encoding)
    assert answer.status == 400
    assert answer.error_messages() == [
        f"the request body cannot be read: it is not valid {encoding} (its Content-Encoding)"
    ]


async def test_a_body_said_to_be_oversized_is_refused_before_it_is_read(api: Api) -> None:
    # Given a request whose Content-Length passes the limit, and none of its body
    async with raw_connection(api) as (reader, writer):
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % (MAX_BODY_BYTES + 1)
        )
        # Then it is refused at once: the server waited for the body the length promised, up
        # to the body's time limit, to refuse it once 1 MiB of it had come
        async with asyncio.timeout(ANSWER_WITHIN):
            head = await reader.readuntil(b"\r\n\r\n")
            length = re.search(rb"Content-Length: (\d+)", head)
            assert length is not None, head
            body = await reader.readexactly(int(length[1]))
    assert head.startswith(b"HTTP/1.1 413"), head
    assert json.loads(body)["errors"][0]["message"] == (
        f"the request body is larger than {MAX_BODY_BYTES:,} bytes"
    )
