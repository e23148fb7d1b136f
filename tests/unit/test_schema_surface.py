"""The schema as an SPA developer reads it in their IDE: every union named, every element
described, pages that say where they start, and descriptions that match what fields return."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
)

from domain.journey.access import STAFF_ACTIONS
from domain.journey.table import Action
from schema.build import schema
from schema.descriptions import stale_entries

BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}


def graphql_schema() -> GraphQLSchema:
    return schema._schema


def elements() -> Iterator[tuple[str, str | None]]:
    """(path, description) of every type, field, argument and enum value, built-ins left out."""
    for name, kind in graphql_schema().type_map.items():
        if name.startswith("__") or name in BUILT_IN_SCALARS:
            continue
        yield name, kind.description
        if isinstance(kind, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in kind.fields.items():
                yield f"{name}.{field_name}", field.description
                for arg_name, arg in field.args.items():
                    yield f"{name}.{field_name}({arg_name})", arg.description
        elif isinstance(kind, GraphQLInputObjectType):
            for field_name, input_field in kind.fields.items():
                yield f"{name}.{field_name}", input_field.description
        elif isinstance(kind, GraphQLEnumType):
            for value_name, value in kind.values.items():
                yield f"{name}.{value_name}", value.description


def test_every_type_field_argument_and_enum_value_is_described() -> None:
    undescribed = [path for path, description in elements() if not (description or "").strip()]
    assert undescribed == [], f"{len(undescribed)} undescribed: {undescribed[:40]}"


def test_every_union_has_a_chosen_name() -> None:
    # Strawberry names an unnamed union by joining its members' names
    unions = [t for t in graphql_schema().type_map.values() if isinstance(t, GraphQLUnionType)]
    assert unions
    generated = [u.name for u in unions if u.name == "".join(m.name for m in u.types)]
    assert generated == []


def test_page_info_says_where_a_page_starts_and_whether_rows_precede_it() -> None:
    page_info = graphql_schema().type_map["PageInfo"]
    assert isinstance(page_info, GraphQLObjectType)
    assert set(page_info.fields) == {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}


def test_available_actions_names_the_actions_it_leaves_out() -> None:
    journey = graphql_schema().type_map["Journey"]
    assert isinstance(journey, GraphQLObjectType)
    description = journey.fields["availableActions"].description or ""
    left_out = [action.name for action in Action if action not in STAFF_ACTIONS]
    assert left_out == ["FOLLOW_UP_DUE", "MARK_STUCK", "RETURN_TO_TRIAGE"]
    assert all(name in description for name in left_out), description


def test_the_decimal_scalar_says_what_it_accepts() -> None:
    decimal = graphql_schema().type_map["Decimal"]
    assert isinstance(decimal, GraphQLScalarType)
    assert "NaN" in (decimal.description or "")


def test_the_description_tables_name_only_elements_the_code_leaves_undescribed() -> None:
    assert stale_entries(graphql_schema(), schema.coded_descriptions) == []


def test_set_photo_consent_says_a_minor_gives_no_purpose_there_the_clinical_record_included() -> (
    None
):
    # A client under 18 gives any purpose only by their guardian's signed PHOTO consent:
    # `setPhotoConsent` refuses CLINICAL_RECORD as well (`schema.photos.consent`)
    mutation = graphql_schema().mutation_type
    assert mutation is not None
    description = mutation.fields["setPhotoConsent"].description or ""
    assert "CLINICAL_RECORD" in description, description
    assert "MARKETING or TEACHING only" not in description, description


def test_a_board_update_says_its_journey_is_as_the_change_left_it() -> None:
    # A board update carries the journey as its change left it (a resumed board replays changes
    # from while it was away), not as it stands now
    board_update = graphql_schema().type_map["BoardUpdate"]
    assert isinstance(board_update, GraphQLObjectType)
    description = board_update.fields["journey"].description or ""
    assert "as it is now" not in description, description
    assert "as the change left it" in description, description
