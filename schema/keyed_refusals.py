"""A mutation refused under an idempotency key that stands for another request answers
`Conflict`, whichever check refused it.

The key names the request it was first claimed for (`schema.idempotency`): the same key with
another input is a `Conflict`, however that input fares. Most refusals ask the ledger
themselves (`idempotency.refusal_answer`), but a check of the input's shape runs before any
key is looked at, and the input check (`schema.input_check`) refuses text no database can
store before any resolver runs; answered as they were, a client that reused a key heard what
was wrong with its input, not that the key was taken. Here a mutation's refusal that no ledger
lookup decided is looked up after it: one lookup, claiming nothing and writing nothing, only
for a signed-in caller and a key that could have been claimed (a malformed one keeps its
`ValidationFailed`), and only on that path, so a request that goes through pays nothing.
"""

from __future__ import annotations

from inspect import isawaitable
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import convert_arguments

from domain.store import records
from domain.store.records import key_problem
from schema import idempotency
from schema.context import Context
from schema.errors import Conflict, NotAuthorized, TooManyAttempts, Unavailable, UserError

# Answers about the caller or the moment, not the input: a key does not change them.
NOT_ABOUT_THE_INPUT = (Conflict, NotAuthorized, TooManyAttempts, Unavailable)


def _keyed_input(info: GraphQLResolveInfo, kwargs: dict[str, Any]) -> bool:
    """A mutation whose input carries a key that could have been claimed."""
    if info.parent_type is not info.schema.mutation_type:
        return False
    input_ = kwargs.get("input")
    key = input_.get("idempotencyKey") if isinstance(input_, dict) else None
    return isinstance(key, str) and key_problem(key) is None


def _input_object(info: GraphQLResolveInfo, kwargs: dict[str, Any]) -> object:
    """The input as the resolver receives it (and digests it when it claims the key)."""
    field = info.parent_type.fields[info.field_name]
    definition = field.extensions[GraphQLCoreConverter.DEFINITION_BACKREF]
    strawberry_schema = info.schema._strawberry_schema  # type: ignore[attr-defined]
    converted = convert_arguments(
        kwargs,
        definition.arguments,
        scalar_registry=strawberry_schema.schema_converter.scalar_registry,
        config=strawberry_schema.config,
    )
    return converted["input"]


async def _answer(result: Any, info: GraphQLResolveInfo, kwargs: dict[str, Any]) -> Any:
    answer = await result if isawaitable(result) else result
    context = info.context
    if not isinstance(answer, UserError) or isinstance(answer, NOT_ABOUT_THE_INPUT):
        return answer
    if not isinstance(context, Context) or context.claims is None:
        return answer
    if tuple(info.path.as_list()) in context.keys_asked:
        return answer  # the mutation's own lookup decided it
    input_ = _input_object(info, kwargs)
    account_id = context.claims.account_id
    if await idempotency.stands_for_another(context, account_id, info.field_name, input_):
        return idempotency.conflict()
    return answer


def or_conflict(answer: Any, info: GraphQLResolveInfo, kwargs: dict[str, Any]) -> Any:
    """`answer` (a field's result, maybe awaitable), or `Conflict` where it is a keyed
    mutation's refusal under a key claimed for another request. Asked by the input check's
    resolve hook (`schema.input_check`), which sees the fields that take arguments and both its
    own refusals and the resolver's: a hook of its own would run for every field of every
    answer."""
    if not _keyed_input(info, kwargs):
        return answer
    return _answer(answer, info, kwargs)


async def _refusal_by_key(refusal: Any, info: GraphQLResolveInfo, kwargs: dict[str, Any]) -> Any:
    context = info.context
    if not isinstance(context, Context) or context.claims is None:
        return refusal
    key = kwargs["input"]["idempotencyKey"]
    claimed = await records.key_claimed_at(context.claims.account_id, key)
    return idempotency.conflict() if claimed else refusal


def or_conflict_by_key(refusal: Any, info: GraphQLResolveInfo, kwargs: dict[str, Any]) -> Any:
    """`or_conflict` for an input no key could have been claimed for, which is not digested:
    `Conflict` where its key was claimed at all. For input nested past the input check's
    bound, whose digest recursed as deep as it nests (hundreds of levels: a RecursionError,
    answered "Unexpected error."); no claim was ever made for it, as claims come after that
    check."""
    if not _keyed_input(info, kwargs):
        return refusal
    return _refusal_by_key(refusal, info, kwargs)
