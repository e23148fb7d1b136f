"""Prometheus metrics per GraphQL operation, as a Strawberry schema extension.

A schema extension rather than an HTTP middleware: it sees the operation as GraphQL does (the
name and type from the parsed document, not from the raw body), it runs for operations over
WebSocket too, and it can tell a document that never ran (``invalid``: syntax, validation or a
limiter) from one that ran with errors (``error``). Typed errors returned as data are ``ok``.

``graphql_operations_total{operation,type,outcome}`` and
``graphql_operation_duration_seconds{operation,type}`` (queries and mutations; a subscription's
duration is its lifetime, so it is counted but not timed). Operation names are client-chosen:
after ``MAX_NAMES`` distinct ones the rest are counted as ``other``.

``glowpath_login_attempts_total{outcome}`` counts sign-ins (``schema.staff.mutations``);
``glowpath_temporal_unanswered_total{field}`` the mutations answered ``Unavailable``
(``schema.unanswered``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from prometheus_client import Counter, Histogram
from strawberry.extensions import SchemaExtension

MAX_NAMES = 200
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,99}")

OPERATIONS = Counter(
    "graphql_operations",
    "GraphQL operations by operation name, type (query, mutation, subscription) and outcome "
    "(ok, error, invalid)",
    ["operation", "type", "outcome"],
)
DURATION = Histogram(
    "graphql_operation_duration_seconds",
    "Time to answer a GraphQL query or mutation, by operation name and type",
    ["operation", "type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)

LOGIN_ATTEMPTS = Counter(
    "glowpath_login_attempts",
    "Sign-in attempts by outcome: ok, failed (wrong username or password), throttled (refused "
    "by the back-off, no password checked) or invalid (empty or oversized input)",
    ["outcome"],
)

REQUEST_TIMEOUTS = Counter(
    "graphql_request_timeouts",
    "Queries and mutations stopped because they ran past the API's time limit per request",
)

TEMPORAL_UNANSWERED = Counter(
    "glowpath_temporal_unanswered",
    "Mutations answered Unavailable because Temporal did not answer in time, by mutation field",
    ["field"],
)

_seen: set[str] = set()


def operation_label(name: str | None) -> str:
    if not name:
        return "anonymous"
    if not _NAME.fullmatch(name):
        return "unknown"
    if name not in _seen:
        if len(_seen) >= MAX_NAMES:
            return "other"
        _seen.add(name)
    return name


class OperationMetrics(SchemaExtension):
    """Counts and times every operation; pass the class (one instance per operation)."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        context = self.execution_context
        try:
            kind = context.operation_type.value
        except Exception:  # no document, or no operation of that name in it
            kind = "unknown"
        result = context.result
        if context.pre_execution_errors:
            outcome = "invalid"
        elif result is not None and result.errors:
            outcome = "error"
        else:
            outcome = "ok"
        name = operation_label(context.operation_name)
        OPERATIONS.labels(name, kind, outcome).inc()
        if kind != "subscription":
            DURATION.labels(name, kind).observe(elapsed)
