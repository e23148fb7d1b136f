"""Every type that holds a member of staff's raw account id also names them: a field of type
`StaffMember` beside it (the name colleagues see). An SPA had raw ids on bills, checklists, price
lists and published versions, which no query of theirs turns into a name."""

from __future__ import annotations

from graphql import GraphQLObjectType, GraphQLOutputType, get_named_type

from schema.build import schema

RAW_ACCOUNT_ID = "Raw account id"


def _named(kind: GraphQLOutputType) -> str:
    return get_named_type(kind).name


def test_a_raw_account_id_has_its_member_of_staff_beside_it() -> None:
    unnamed = []
    for name, kind in schema._schema.type_map.items():
        if not isinstance(kind, GraphQLObjectType) or name.startswith("__"):
            continue
        raw = [
            f for f, d in kind.fields.items() if (d.description or "").startswith(RAW_ACCOUNT_ID)
        ]
        staff = [f for f, d in kind.fields.items() if _named(d.type) == "StaffMember"]
        if raw and len(staff) < len(raw):
            unnamed.append(f"{name}: {raw} beside {staff}")
    assert unnamed == []


def test_the_rule_sees_the_raw_ids_it_is_about() -> None:
    # The check above looks for descriptions that start so: were they reworded, it would pass
    # on nothing.
    bill = schema._schema.type_map["Bill"]
    assert isinstance(bill, GraphQLObjectType)
    assert (bill.fields["createdBy"].description or "").startswith(RAW_ACCOUNT_ID)
