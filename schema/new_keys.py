"""A mutation's `idempotencyKey` never claimed before is held to the rules of a new key
(`domain.idempotency.new_key_problem`: not blank, no control character), in this one place
every mutation passes (the input check's resolve hook), before its resolver runs.

A key claimed before the rule existed (a client that sent " " and lost the answer) is still
answered as its first attempt was: the rule asks the ledger, once, only for a key it would
refuse, and lets a key this account claimed go on to its resolver, which answers it.
"""

from __future__ import annotations

from collections.abc import Callable
from inspect import isawaitable
from typing import Any

from graphql import GraphQLResolveInfo

from domain import idempotency
from domain.errors import FieldProblem
from domain.store import records
from schema.context import Context
from schema.errors import from_problem


def new_key_problem(info: GraphQLResolveInfo, kwargs: dict[str, Any]) -> FieldProblem | None:
    """What a mutation's key would be refused for if it were new; None for a key that could
    be claimed, no key, or one the resolver refuses itself (`records.key_problem`)."""
    if info.parent_type is not info.schema.mutation_type:
        return None
    input_ = kwargs.get("input")
    key = input_.get("idempotencyKey") if isinstance(input_, dict) else None
    if not isinstance(key, str) or records.key_problem(key) is not None:
        return None
    return idempotency.new_key_problem(key)


async def unless_claimed(
    problem: FieldProblem,
    resolve: Callable[[], Any],
    info: GraphQLResolveInfo,
    kwargs: dict[str, Any],
) -> Any:
    """The refusal of a key that could not be claimed, or, for a key this account claimed
    before, what the mutation answers (`resolve()`)."""
    context = info.context
    claims = context.claims if isinstance(context, Context) else None
    key = kwargs["input"]["idempotencyKey"]
    if claims is not None and await records.key_claimed_at(claims.account_id, key):
        answer = resolve()
        return await answer if isawaitable(answer) else answer
    return from_problem(problem)
