"""The permission table covers the whole schema: a field or operation without a row fails here."""

from __future__ import annotations

from graphql import GraphQLObjectType, build_client_schema, introspection_from_schema

from domain.journey.table import ROLES, Action
from domain.permissions import (
    ANYONE,
    MUTATIONS,
    OPERATIONS,
    TABLE,
    TYPES,
    audience,
    operations_for,
    readable_fields,
)
from domain.roles import CLINIC_ROLES, Role
from schema.build import schema
from schema.permissions import denied
from server.permissions_readme import README, render, with_matrix


def _object_fields() -> dict[str, set[str]]:
    """Object types and their fields as an introspection query reports them to a client."""
    graphql_schema = build_client_schema(introspection_from_schema(schema._schema))
    return {
        name: set(kind.fields)
        for name, kind in graphql_schema.type_map.items()
        if isinstance(kind, GraphQLObjectType) and not name.startswith("__")
    }


def test_every_field_and_operation_of_the_schema_has_a_row() -> None:
    missing = sorted(
        f"{type_name}.{field}"
        for type_name, fields in _object_fields().items()
        for field in fields
        if audience(type_name, field) is None
    )
    assert missing == [], f"give these a row in domain/permissions.py: {missing}"


def test_the_table_names_nothing_the_schema_lacks() -> None:
    schema_fields = _object_fields()
    stale = sorted(
        f"{type_name}.{field}"
        for type_name, rows in TABLE.items()
        for field in rows
        if field not in schema_fields.get(type_name, set())
    )
    assert stale == []


def test_a_field_without_a_row_is_refused_to_everyone() -> None:
    for role in (None, *Role):
        assert denied("Journey", "notInTheTable", role)
        assert denied("NoSuchType", "id", role)
    assert not denied("__Schema", "types", None)  # introspection has its own setting


def test_journey_mutations_take_their_roles_from_the_journey_table() -> None:
    staff_roles = ROLES[Action.RECORD_PAYMENT] - {Role.SYSTEM}
    assert MUTATIONS["recordPayment"].roles == staff_roles == {Role.CASHIER}
    assert MUTATIONS["reassignJourney"].roles == {Role.SUPERVISOR}  # SYSTEM is no account
    assert MUTATIONS["completeExpertReview"].roles == {Role.EXPERT}


def test_clinical_defaults() -> None:
    # The consultation's assessments and plans: the consultant, experts, nurses, supervisors.
    details = TYPES["JourneyEvent"]["details"]
    assert {r for r in Role if details.admits(r)} == {
        Role.CONSULTANT,
        Role.EXPERT,
        Role.NURSE,
        Role.SUPERVISOR,
    }
    # Every consultant's revenue and the cockpit: supervisors only.
    for name in ("keyItemRanking", "stuckJourneys", "journeyStats"):
        assert {r for r in Role if OPERATIONS["Query"][name].admits(r)} == {Role.SUPERVISOR}
    # Contact details: not the cashier, the expert or the nurse.
    phone = TYPES["Client"]["phone"]
    assert not any(phone.admits(r) for r in (Role.CASHIER, Role.EXPERT, Role.NURSE, Role.ADMIN))
    assert phone.admits(Role.FOLLOW_UP_STAFF)
    # An administrator runs accounts, and reads no client's data.
    assert not any(rule.admits(Role.ADMIN) for rule in TYPES["Client"].values())
    assert not TYPES["Journey"]["stage"].admits(None)
    assert ANYONE.admits(None)


def test_my_permissions_lists_exactly_the_admitted_rows() -> None:
    cashier = set(operations_for(Role.CASHIER))
    assert "Mutation.recordPayment" in cashier and "Mutation.checkIn" not in cashier
    assert set(operations_for(None)) == {
        "Query.me",
        "Query.myPermissions",
        "Mutation.login",
        "Mutation.logout",
        "Mutation.changePassword",
    }
    for role in CLINIC_ROLES:
        fields = set(readable_fields(role))
        assert ("JourneyEvent.details" in fields) == (
            role in TYPES["JourneyEvent"]["details"].roles
        )


def test_the_readme_matrix_is_rendered_from_the_table() -> None:
    readme = README.read_text(encoding="utf-8")
    assert with_matrix(readme) == readme, "README.md is stale: run `make schema`"
    assert "| **Mutation** | `createClinic`" in render()
