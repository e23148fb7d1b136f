"""One check of every argument, before any resolver sees it: text the database cannot store.

JSON lets a client send characters no column can hold: NUL (PostgreSQL refuses it in text and
JSON) and unpaired UTF-16 surrogates (``"\\ud800"``, not encodable as UTF-8). They would reach
the database from any resolver and come back as "Unexpected error.", so they are refused here,
for every field with arguments, together with input values nested absurdly deep (the `JSON`
scalar takes any shape) and numbers JSON cannot write: a body's JSON refuses NaN and Infinity
(`server.request_body`), but a literal in the document is read by its scalar alone, and
`{note: 1e999}` was infinity to the `JSON` scalar (a record kept it for good, and every answer
showing it then carried a bare `Infinity`, which no JSON parser reads; PostgreSQL refused it).
A field whose result union has ``ValidationFailed`` answers it as data, naming the argument
path; any other field answers a GraphQL error naming it the same way (`InputNotAccepted`, whose
extensions carry the path and the problem's code).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError, GraphQLNonNull, GraphQLResolveInfo, GraphQLUnionType
from strawberry.extensions import SchemaExtension

from domain.errors import ErrorCode, FieldProblemCode
from schema.errors import invalid
from schema.keyed_refusals import or_conflict, or_conflict_by_key
from schema.new_keys import new_key_problem, unless_claimed

# No input of the API nests anywhere near this; the JSON scalar would, if it were allowed to.
MAX_INPUT_DEPTH = 32
TOO_DEEP = f"nested more than {MAX_INPUT_DEPTH} levels deep"
NOT_FINITE = "a number too large for JSON (it reads as Infinity)"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
OUT_OF_RANGE = FieldProblemCode.OUT_OF_RANGE


class InputNotAccepted(GraphQLError):
    """The error entry for a refused argument: shown to the client as it is, never masked. Its
    extensions name the argument (`field`, its GraphQL name or path) and the problem's code
    (`problemCode`), as a `ValidationFailed` problem would, so a client maps it to its input
    without reading the message; neither can be left out."""

    def __init__(self, message: str, *, field: str, code: FieldProblemCode) -> None:
        extensions = {
            "code": ErrorCode.VALIDATION_FAILED.value,
            "field": field,
            "problemCode": code.value,
        }
        super().__init__(message, extensions=extensions)


def check_list_page(first: int, largest: int, **positions: int) -> None:
    """Refuses a page of a plain list (no connection, so no ValidationFailed in its type): a
    `first` of 1 to `largest`, and positions to start after (`afterSeq`) of 0 or more."""
    if not 1 <= first <= largest:
        raise InputNotAccepted(f"first: 1 to {largest}", field="first", code=OUT_OF_RANGE)
    for name, position in positions.items():
        if position < 0:
            raise InputNotAccepted(f"{name}: 0 or more", field=name, code=OUT_OF_RANGE)


def not_in_list(what: str) -> InputNotAccepted:
    """Refuses a plain list's `after` that names none of the list's rows (another type's id,
    another owner's row, or no id of this API)."""
    return InputNotAccepted(
        f"after: not the id of {what}", field="after", code=FieldProblemCode.UNKNOWN_VALUE
    )


def problem_in(value: Any, path: str, depth: int = 0) -> tuple[str, str] | None:
    """The first (path, problem) found in an argument value, or None: a field problem of code
    BAD_FORMAT."""
    if depth > MAX_INPUT_DEPTH:
        return path, TOO_DEEP
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            return path, "contains a NUL character or an unpaired surrogate"
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return path, NOT_FINITE
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        for key, item in value.items():
            found = problem_in(key, path, depth + 1) or problem_in(item, f"{path}.{key}", depth + 1)
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = problem_in(item, f"{path}[{index}]", depth + 1)
            if found:
                return found
    return None


def nests_too_deep(value: Any, depth: int = 0) -> bool:
    """Whether an argument value nests past `MAX_INPUT_DEPTH` anywhere: `problem_in` names the
    first problem it meets, which may be text it read before the nesting."""
    if depth > MAX_INPUT_DEPTH:
        return True
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return any(nests_too_deep(item, depth + 1) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(nests_too_deep(item, depth + 1) for item in value)
    return False


def _answers_validation_failed(info: GraphQLResolveInfo) -> bool:
    result_type = info.return_type
    if isinstance(result_type, GraphQLNonNull):
        result_type = result_type.of_type
    return isinstance(result_type, GraphQLUnionType) and any(
        member.name == "ValidationFailed" for member in result_type.types
    )


class InputCheck(SchemaExtension):
    """Refuses unstorable or absurdly nested argument values on every field, and a mutation's
    key that could not be claimed (`schema.new_keys`); a keyed mutation's
    refusal, its own or the resolver's, is a `Conflict` under a key used for another request
    (`schema.keyed_refusals`)."""

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if not kwargs:  # most fields take no arguments: nothing to walk
            return _next(root, info, *args, **kwargs)
        for name, value in kwargs.items():
            found = problem_in(value, name)
            if found is not None:
                path, message = found
                if _answers_validation_failed(info):
                    # Too deep to digest, whichever problem was named: judged by whether its
                    # key was claimed at all
                    deep = any(nests_too_deep(argument) for argument in kwargs.values())
                    judge = or_conflict_by_key if deep else or_conflict
                    refusal = invalid(path, message, FieldProblemCode.BAD_FORMAT)
                    return judge(refusal, info, kwargs)
                raise InputNotAccepted(
                    f"{info.field_name}: {path}: {message}",
                    field=path,
                    code=FieldProblemCode.BAD_FORMAT,
                )

        def resolve() -> Any:
            return or_conflict(_next(root, info, *args, **kwargs), info, kwargs)

        key_problem = new_key_problem(info, kwargs)
        if key_problem is not None:
            return unless_claimed(key_problem, resolve, info, kwargs)
        return resolve()
