"""Property-based fuzzing of the GraphQL API with schemathesis: every query and mutation gets
generated documents (with hostile as well as valid Decimal, Date, DateTime and JSON values), each
sent by a role the permission table lets call it, and any server error is a failure.

A server error is a 5xx answer, an answer that is not GraphQL JSON, or a masked fault
("Unexpected error."). Expected refusals (validation, typed errors) are fine.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

import graphql
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from domain.permissions import OPERATIONS
from domain.roles import Role
from schema import export_sdl

MASKED = "Unexpected error."
REQUEST_TIMEOUT = 60.0
# The role chosen to call an operation, when the permission table admits several: the widest.
PREFERRED = (Role.SUPERVISOR, Role.ADMIN, Role.FRONT_DESK, Role.CONSULTANT, Role.EXPERT)

HOSTILE_NUMBERS = (
    "NaN",
    "sNaN",
    "-NaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e999999",
    "-1e-999999",
    "1E+2",
    "-0",
    "0.000000001",
    "12345678901234567890.12",
    "",
    " 1",
    "1,5",
    "0x10",
)
HOSTILE_DATES = (
    "2024-02-30",
    "2023-02-29",
    "0000-01-01",
    "9999-12-31",
    "10000-01-01",
    "2024-1-1",
    "2024-01-01T00:00:00",
    "",
    "today",
    "1988-04-12 ",
)


def _text_or(hostile: tuple[str, ...], valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(valid, st.sampled_from(hostile), st.text(max_size=12))


def decimal_values() -> st.SearchStrategy[graphql.ValueNode]:
    amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2)
    as_text = _text_or(HOSTILE_NUMBERS, amounts.map(str)).map(nodes.String)
    floats = st.floats(allow_nan=False, allow_infinity=False)  # GraphQL has no literal for them
    numbers = st.one_of(st.integers().map(nodes.Int), floats.map(nodes.Float))
    return st.one_of(as_text, numbers)


def date_values() -> st.SearchStrategy[graphql.ValueNode]:
    days = st.dates(min_value=date(1, 1, 1)).map(date.isoformat)
    return _text_or(HOSTILE_DATES, days).map(nodes.String)


def datetime_values() -> st.SearchStrategy[graphql.ValueNode]:
    moments = st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat)
    return _text_or(HOSTILE_DATES, moments).map(nodes.String)


def json_values() -> st.SearchStrategy[graphql.ValueNode]:
    def field_of(item: tuple[str, graphql.ValueNode]) -> graphql.ObjectFieldNode:
        return graphql.ObjectFieldNode(name=graphql.NameNode(value=item[0]), value=item[1])

    keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)
    leaves = st.one_of(
        st.just(graphql.NullValueNode()),
        st.booleans().map(nodes.Boolean),
        st.integers().map(nodes.Int),
        st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
        st.text(max_size=20).map(nodes.String),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4).map(nodes.List),
            st.dictionaries(keys, inner, max_size=4).map(
                lambda d: nodes.Object([field_of(item) for item in d.items()])
            ),
        ),
        max_leaves=12,
    )


def register_scalars() -> None:
    schemathesis.graphql.scalar("Decimal", decimal_values())
    schemathesis.graphql.scalar("Date", date_values())
    schemathesis.graphql.scalar("DateTime", datetime_values())
    schemathesis.graphql.scalar("JSON", json_values())
    # A file travels only in a multipart request; in a JSON document it is any other value.
    schemathesis.graphql.scalar("Upload", st.text(max_size=20).map(nodes.String))


def caller_role(root: str, operation: str) -> Role | None:
    """The role that calls ``operation`` (``None``: signed out, for operations anyone may call)."""
    audience = OPERATIONS[root][operation]
    if audience.signed_out:
        return None
    for role in PREFERRED:
        if role in audience.roles:
            return role
    return min(audience.roles, key=lambda role: role.value)


@dataclass
class FuzzReport:
    examples: dict[str, int] = field(default_factory=dict)  # per operation, as sent
    failures: dict[str, str] = field(default_factory=dict)  # operation -> what went wrong
    stopped_early: list[str] = field(default_factory=list)  # operations the time budget cut


def server_error(response: requests.Response) -> str | None:
    if response.status_code >= 500:
        return f"HTTP {response.status_code}: {response.text[:500]}"
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}, not JSON: {response.text[:500]}"
    errors = body.get("errors") or [] if isinstance(body, dict) else ["not an object"]
    masked = [e for e in errors if isinstance(e, dict) and e.get("message") == MASKED]
    if masked:
        return f"masked fault: {masked[:3]}"
    return None


def fuzz(
    url: str,
    tokens: Mapping[Role, str],
    *,
    examples: int,
    budget_seconds: float,
    only: Callable[[str], bool] = lambda name: True,
) -> FuzzReport:
    """Sends up to ``examples`` generated documents per operation (blocking: run it in a thread
    when the server shares the event loop); stops generating when ``budget_seconds`` are spent."""
    register_scalars()
    schema = schemathesis.graphql.from_file(export_sdl())
    report = FuzzReport()
    deadline = time.monotonic() + budget_seconds
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid schema fails here
        root, name = operation.label.split(".", 1)
        if root not in ("Query", "Mutation") or not only(name):
            continue
        role = caller_role(root, name)
        headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
        report.examples[name] = 0

        def sender(name: str, headers: dict[str, str]) -> Callable[[schemathesis.Case], None]:
            def send(case: schemathesis.Case) -> None:
                check(case, name, headers)

            return send

        def check(case: schemathesis.Case, name: str, headers: dict[str, str]) -> None:
            if time.monotonic() > deadline:
                if name not in report.stopped_early:
                    report.stopped_early.append(name)
                return
            query = str(case.body)  # a GraphQL case's body is its document
            response = session.post(
                url, json={"query": query}, headers=headers, timeout=REQUEST_TIMEOUT
            )
            report.examples[name] += 1
            problem = server_error(response)
            if problem:
                raise AssertionError(f"{problem}\nquery: {query}")

        run = settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )(given(case=operation.as_strategy())(sender(name, headers)))
        try:
            run()
        except AssertionError as failure:
            report.failures[name] = str(failure)[:2000]
    return report
