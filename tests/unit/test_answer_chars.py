"""The answer's characters are counted as the answer sends them, and per answer: each
subscription push on its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from graphql import (
    ExecutionResult,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    execute,
    parse,
    subscribe,
)

from schema import answer_bytes
from schema.answer_bytes import BoundedAnswerExecutor

BOUND = 1000


async def _words(_root: Any, _info: Any) -> AsyncIterator[str]:
    for word in ("a", "b", "c"):
        yield word * (BOUND * 2 // 3)


SCHEMA = GraphQLSchema(
    query=GraphQLObjectType(
        "Query",
        {"name": GraphQLField(GraphQLString, resolve=lambda _root, _info: "Анна" * 50)},
    ),
    subscription=GraphQLObjectType(
        "Subscription",
        {"word": GraphQLField(GraphQLString, subscribe=_words, resolve=lambda word, _info: word)},
    ),
)


async def test_each_push_is_counted_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a bound of 1,000 characters, and pushes of about 666 each (2,000 in all)
    monkeypatch.setattr(answer_bytes, "MAX_ANSWER_CHARS", BOUND)
    stream = subscribe(SCHEMA, parse("subscription { word }"), executor_class=BoundedAnswerExecutor)
    if not isinstance(stream, AsyncIterator):  # graphql-core may hand it over awaitable
        stream = await stream
    assert not isinstance(stream, ExecutionResult)
    # Then every push is answered whole
    pushes = [push async for push in stream]
    assert [(p.errors, len(p.data["word"])) for p in pushes] == [(None, BOUND * 2 // 3)] * 3


def test_text_past_ascii_counts_as_sent_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a bound of 1,000 characters, and an answer of 200 Cyrillic letters, which JSON
    # sends as 1,200 characters (each escaped as six)
    monkeypatch.setattr(answer_bytes, "MAX_ANSWER_CHARS", BOUND)
    answer = execute(SCHEMA, parse("{ name }"), executor_class=BoundedAnswerExecutor)
    # Then the answer is refused, as its size on the wire passes the bound
    assert isinstance(answer, ExecutionResult)
    assert answer.data is None
    (refusal,) = answer.errors or []
    assert refusal.message.startswith("the answer would hold more than 1,000 characters")
