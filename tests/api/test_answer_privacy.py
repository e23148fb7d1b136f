"""What a GraphQL answer lets out besides its data: with introspection off no error suggests the
schema's names, and no answer may be kept by a cache (queries come over GET too)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from temporalio.testing import WorkflowEnvironment

from schema.error_text import LONGEST_MESSAGE, LONGEST_QUOTED
from tests.api.conftest import TASK_QUEUE, api_settings
from tests.api.harness import Api, running_api

# Each made-up name is one graphql-core answers with a suggestion when it may.
GUESSES: list[tuple[dict[str, Any], str]] = [
    ({"query": "{ journy(id: 1) { id } }"}, "Cannot query field 'journy' on type 'Query'."),
    ({"query": '{ journey(idd: "1") { id } }'}, "Unknown argument 'idd' on field 'Query.journey'."),
    ({"query": "query Q($x: Journy) { me { __typename } }"}, "Unknown type 'Journy'."),
    ({"query": "{ priceList(kind: PRODUCTS) { name } }"}, "Value 'PRODUCTS' does not exist"),
    (
        {
            "query": "mutation M($input: LogoutInput!) { logout(input: $input) { __typename } }",
            "variables": {"input": {"everywhere": True, "idempotencyKe": "k"}},
        },
        "not to include unknown field 'idempotencyKe'.",
    ),
]


@pytest.fixture
async def closed_api(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> AsyncIterator[Api]:
    # As `glowpath api` runs by default: introspection off.
    settings = dataclasses.replace(
        api_settings(database, temporal_address, TASK_QUEUE), introspection=False
    )
    async with running_api(settings, temporal_env.client) as running:
        yield running


async def _messages(api: Api, body: dict[str, Any]) -> list[str]:
    async with aiohttp.ClientSession() as http:
        async with http.post(api.url, json=body) as answer:
            found = await answer.json()
    return [error["message"] for error in found["errors"]]


async def test_with_introspection_off_no_error_suggests_the_schemas_names(
    api: Api, closed_api: Api
) -> None:
    for body, refusal in GUESSES:
        # Given a guess at a name: with introspection on (development) the answer suggests one
        suggested = await _messages(api, body)
        assert any(refusal in m and "Did you mean" in m for m in suggested), suggested
        # Then with it off, asked by anyone, the refusal says what is wrong and suggests nothing
        closed = await _messages(closed_api, body)
        assert any(refusal in m for m in closed), closed
        assert not any("Did you mean" in m for m in closed), closed


async def test_a_long_made_up_name_is_not_echoed_whole(api: Api, closed_api: Api) -> None:
    name = "x" * 200_000
    bodies = [
        # An unknown key of an input object's variable, a field, and an operation's name
        {
            "query": "mutation M($input: LogoutInput!) { logout(input: $input) { __typename } }",
            "variables": {"input": {"everywhere": True, "idempotencyKey": "k", name: 1}},
        },
        {"query": "{ me { " + name + " } }"},
        {"query": "{ me { __typename } }", "operationName": name},
    ]
    for served in (api, closed_api):
        for body in bodies:
            messages = await _messages(served, body)
            # Then each refusal quotes the start of the name, marked as cut, and stays short
            cut = "x" * LONGEST_QUOTED + "…"
            assert any(f"'{cut}'" in m or f'"{cut}"' in m for m in messages), messages[0][:300]
            assert all(len(m) <= LONGEST_MESSAGE for m in messages), [len(m) for m in messages]


async def test_no_graphql_answer_may_be_cached(api: Api) -> None:
    query = {"query": "{ me { __typename } }"}
    async with aiohttp.ClientSession() as http:
        # Given a query over GET, over POST, and a document that is refused
        async with http.get(api.url, params=query) as over_get:
            assert over_get.status == 200
            get_header = over_get.headers.get("Cache-Control")
        async with http.post(api.url, json=query) as over_post:
            assert over_post.status == 200
            post_header = over_post.headers.get("Cache-Control")
        async with http.get(api.url, params={"query": "{ nothing"}) as refused:
            refused_header = refused.headers.get("Cache-Control")
    # Then every answer tells caches to keep none of it
    assert get_header == post_header == refused_header == "private, no-store"
