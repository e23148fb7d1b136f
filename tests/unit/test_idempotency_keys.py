"""Every mutation that writes takes an idempotency key, and the ledger's digest tells one request
from another without holding any input (a password included) in a form that can be guessed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum

from graphql import (
    GraphQLInputObjectType,
    GraphQLNonNull,
    build_client_schema,
    introspection_from_schema,
)

from domain.idempotency import request_digest, request_digests, request_fields
from schema.build import schema

# Signing in writes nothing a retry could repeat (a second token is harmless, and the failed
# attempts counted by the throttle must count every attempt, retried or not); the caller has
# no account yet to own a key.
WITHOUT_KEY = {"login"}


def test_every_mutation_input_takes_an_idempotency_key() -> None:
    client_schema = build_client_schema(introspection_from_schema(schema._schema))
    mutation = client_schema.mutation_type
    assert mutation is not None
    missing = []
    for name, field in mutation.fields.items():
        if name in WITHOUT_KEY:
            continue
        input_arg = field.args.get("input")
        input_type = input_arg.type if input_arg else None
        if isinstance(input_type, GraphQLNonNull):
            input_type = input_type.of_type
        if not isinstance(input_type, GraphQLInputObjectType):
            missing.append(f"{name} (no input object)")
        elif "idempotencyKey" not in input_type.fields:
            missing.append(name)
        elif not input_type.fields["idempotencyKey"].description:
            missing.append(f"{name} (idempotencyKey has no description)")
    assert missing == [], f"give these an idempotencyKey: {missing}"
    assert set(mutation.fields) >= WITHOUT_KEY, "an exception names a mutation that is gone"


@dataclass
class _Payment:
    journey_id: str
    amount: Decimal
    paid_on: date
    idempotency_key: str | None = None


def test_the_digest_tells_inputs_apart_and_ignores_the_key() -> None:
    first = request_fields(_Payment("j1", Decimal("100.00"), date(2024, 5, 1), "k1"))
    retried = request_fields(_Payment("j1", Decimal("100.0"), date(2024, 5, 1), "k2"))
    other = request_fields(_Payment("j1", Decimal("999.00"), date(2024, 5, 1), "k1"))
    assert "idempotency_key" not in first
    assert request_digest("s", "recordPayment", first) == request_digest(
        "s", "recordPayment", retried
    )
    assert request_digest("s", "recordPayment", first) != request_digest(
        "s", "recordPayment", other
    )
    assert request_digest("s", "recordPayment", first) != request_digest("s", "refund", first)


def test_the_digest_is_keyed_by_the_server_secret() -> None:
    fields = {"temporary_password": "correct horse battery staple"}
    under_one = request_digest("secret-one", "resetStaffPassword", fields)
    assert under_one != request_digest("secret-two", "resetStaffPassword", fields)
    assert "correct horse" not in under_one and len(under_one) == 64
    # After a rotation the previous secret's digest is still recognised, the current one first
    digests = request_digests(("secret-two", "secret-one"), "resetStaffPassword", fields)
    assert digests[1] == under_one and digests[0] != under_one


class _Kind(Enum):
    CASH = "cash"


@dataclass
class _Line:
    item: str
    amount: Decimal


@dataclass
class _Settled:
    journey_id: str
    kind: _Kind
    paid_on: date
    at: datetime
    lines: list[_Line]
    pair: tuple[int, bool, float]
    extra: dict[str, None]
    note: str | None = None
    idempotency_key: str | None = None


def test_the_digest_of_a_request_is_the_one_its_key_was_claimed_under() -> None:
    # A key claimed by an earlier release is looked up by this digest: it must not move (an
    # enum, a date and a time, a decimal, nested objects, a tuple, a mapping and a null).
    settled = _Settled(
        "j1",
        _Kind.CASH,
        date(2024, 5, 1),
        datetime(2024, 5, 1, 9, 30, tzinfo=UTC),
        [_Line("a", Decimal("100.00"))],
        (1, True, 2.5),
        {"k": None},
        idempotency_key="key",
    )
    fields = request_fields(settled)
    assert fields["lines"] == [{"item": "a", "amount": "1E+2"}]
    assert request_digests(("secret-two", "secret-one"), "recordPayment", fields) == (
        "7dc61b260693aae8d90d7499b3c57cd2de5edec2829c9f6c57efb0314715be58",
        "aeef792ead063d103f508ccce775a71d531ff7a42e307a185a2282b8f0ab8d91",
    )
