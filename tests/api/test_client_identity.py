"""Identity corrections: a new name, phone or e-mail is an amendment; the page as registered
stays readable; phone numbers are kept in international form; bad input is a typed error."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from domain.client_file.export import MAX_IDENTITY_VERSIONS
from domain.roles import Role
from domain.store.client_file import ClientIdentityAmendment
from domain.store.models import Client as ClientRow
from tests.api.audit_support import raw_client
from tests.api.client_file_support import AMEND_CLIENT_IDENTITY, IDENTITY, new_key, write
from tests.api.flow import JourneyDriver
from tests.query_plans import whole_reads
from tests.sql_statements import reads_naming

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def test_an_identity_amendment_leaves_the_registered_page_readable(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client registered as Anna Nowak, +48 600 100 200
    clinic = await fresh_clinic()
    client = await clinic.register_client("Anna Nowak")
    # When the front desk corrects her name and phone (written without spaces)
    amended = await write(
        clinic,
        AMEND_CLIENT_IDENTITY,
        Role.FRONT_DESK,
        clientId=client,
        fullName="Anna  Kowalska",
        phone="+48600100300",
        reason="married; new number",
        idempotencyKey=new_key(),
    )
    assert amended == {
        "__typename": "ClientPayload",
        "client": {"id": client, "fullName": "Anna Kowalska"},
    }
    # Then the file shows the identity as it stands, and every version with who and why
    data = await clinic.api.run(IDENTITY, clinic.token(Role.CONSULTANT), id=client)
    page = data["client"]
    assert (page["fullName"], page["phone"], page["email"]) == (
        "Anna Kowalska",
        "+48 600 100 300",
        None,
    )
    registered, corrected = page["identityHistory"]
    assert (registered["fullName"], registered["phone"], registered["reason"]) == (
        "Anna Nowak",
        "+48 600 100 200",
        None,
    )
    assert corrected["reason"] == "married; new number"
    assert corrected["authorId"] == clinic.staff[Role.FRONT_DESK].account_id
    # And the registered row itself is as it was
    row = await ClientRow.get(id=raw_client(client))
    assert (row.full_name, row.phone) == ("Anna Nowak", "+48 600 100 200")


async def test_bad_phone_email_and_empty_corrections_are_typed_field_errors(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    cases = [
        ({"phone": "600700800"}, "phone", "international form with the country code, e.g. +48 ..."),
        ({"phone": "+48 600"}, "phone", "not a valid phone number for its country code"),
        ({"email": "anna.example.com"}, "email", "not an e-mail address"),
        ({"fullName": "Anna Nowak"}, "input", "changes nothing: give a new name, phone or e-mail"),
    ]
    for given, field, message in cases:
        refused = await write(
            clinic, AMEND_CLIENT_IDENTITY, Role.SUPERVISOR, clientId=client, reason="r", **given
        )
        assert refused["__typename"] == "ValidationFailed", refused
        assert refused["problems"] == [{"field": field, "message": message}]
    no_reason = await write(
        clinic, AMEND_CLIENT_IDENTITY, Role.SUPERVISOR, clientId=client, reason=" ", email="a@b.pl"
    )
    assert no_reason["problems"] == [{"field": "reason", "message": "required"}]
    assert await ClientIdentityAmendment.filter(client_id=raw_client(client)).count() == 0


async def test_identity_corrections_are_for_registrars_and_retry_safely(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    input = {"clientId": client, "email": "anna@example.com", "reason": "new mailbox"}
    for role in (Role.NURSE, Role.CASHIER, Role.EXPERT):
        refused = await write(clinic, AMEND_CLIENT_IDENTITY, role, **input)
        assert refused["__typename"] == "NotAuthorized", (role, refused)
    key = new_key()
    first = await write(clinic, AMEND_CLIENT_IDENTITY, Role.CONSULTANT, idempotencyKey=key, **input)
    again = await write(clinic, AMEND_CLIENT_IDENTITY, Role.CONSULTANT, idempotencyKey=key, **input)
    other = await write(
        clinic,
        AMEND_CLIENT_IDENTITY,
        Role.CONSULTANT,
        idempotencyKey=key,
        **{**input, "email": "other@example.com"},
    )
    assert again == first and first["__typename"] == "ClientPayload"
    assert other["__typename"] == "Conflict"
    assert await ClientIdentityAmendment.filter(client_id=raw_client(client)).count() == 1


SEARCH = """
query Search($term: String!) {
  clients(search: $term, first: 5) { ... on ClientConnection { edges { node { fullName } } } }
}
"""


SEARCH_ALL = """
query Page {
  clients(first: 5) { ... on ClientConnection { edges { node { fullName } } } }
}
"""


async def test_the_client_list_finds_a_client_by_a_corrected_name(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    client = await clinic.register_client("Anna Nowak")
    await write(
        clinic,
        AMEND_CLIENT_IDENTITY,
        Role.FRONT_DESK,
        clientId=client,
        fullName="Anna Wiśniewska",
        reason="married",
    )
    for term in ("Wiśniew", "Nowak"):
        data = await clinic.api.run(SEARCH, clinic.token(Role.FRONT_DESK), term=term)
        assert data["clients"]["edges"] == [{"node": {"fullName": "Anna Wiśniewska"}}], term


async def test_the_client_list_reads_only_the_clinics_clients(fresh_clinic: FreshClinic) -> None:
    # Given a client of another clinic whose corrected name holds the term
    other = await fresh_clinic()
    elsewhere = await other.register_client("Anna Nowak")
    renamed = {"clientId": elsewhere, "fullName": "Anna Wiśniewska", "reason": "married"}
    await write(other, AMEND_CLIENT_IDENTITY, Role.FRONT_DESK, **renamed)
    clinic = await fresh_clinic()
    await clinic.register_client("Anna Wiśniewska")
    # When the front desk lists and searches its own clients
    with reads_naming("client") as statements:
        data = await clinic.api.run(SEARCH, clinic.token(Role.FRONT_DESK), term="Wiśniew")
        await clinic.api.run(SEARCH_ALL, clinic.token(Role.FRONT_DESK))
    # Then only its client is found, through indexes on the clinic's clients and their
    # amendments: no read of every clinic's clients or amendments
    assert data["clients"]["edges"] == [{"node": {"fullName": "Anna Wiśniewska"}}]
    assert await whole_reads(statements, ("client", "client_identity_amendment")) == []


async def _fill(client_id: str, count: int) -> None:
    """`count` amendments of the client's identity, written straight to the store."""
    for n in range(count):
        await ClientIdentityAmendment.create(
            id=f"{client_id}-{n}",
            client_id=client_id,
            full_name=f"Anna Nowak {n}",
            reason="filler",
            author_id="desk",
            author_role="FRONT_DESK",
            amended_at=datetime.now(UTC),
        )


async def test_an_identity_takes_as_many_amendments_as_the_clients_copy_carries(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client whose identity was corrected 199 times
    clinic = await fresh_clinic()
    client = await clinic.register_client("Anna Nowak")
    await _fill(raw_client(client), MAX_IDENTITY_VERSIONS - 1)
    last = {"clientId": client, "fullName": "Anna Kowalska", "reason": "married"}
    # When the 200th is made, and then one more
    answered = await write(
        clinic, AMEND_CLIENT_IDENTITY, Role.FRONT_DESK, **last, idempotencyKey="the-200th"
    )
    assert answered["__typename"] == "ClientPayload", answered
    refused = await write(
        clinic,
        AMEND_CLIENT_IDENTITY,
        Role.FRONT_DESK,
        clientId=client,
        fullName="Anna Lis",
        reason="divorced",
        idempotencyKey=new_key(),
    )
    # Then the one more is refused, naming why, and nothing of it is kept
    assert refused["__typename"] == "ValidationFailed", refused
    (problem,) = refused["problems"]
    assert problem["field"] == "clientId"
    assert problem["message"].startswith(f"the identity has been amended {MAX_IDENTITY_VERSIONS}")
    count = await ClientIdentityAmendment.filter(client_id=raw_client(client)).count()
    assert count == MAX_IDENTITY_VERSIONS
    # And the 200th asked again with its key is answered as it was
    again = await write(
        clinic, AMEND_CLIENT_IDENTITY, Role.FRONT_DESK, **last, idempotencyKey="the-200th"
    )
    assert again == answered


async def test_amendments_racing_for_the_last_versions_do_not_pass_the_bound(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client whose identity has room for two more amendments
    clinic = await fresh_clinic()
    client = await clinic.register_client("Anna Nowak")
    await _fill(raw_client(client), MAX_IDENTITY_VERSIONS - 2)

    async def amend(n: int) -> str:
        answer = await write(
            clinic,
            AMEND_CLIENT_IDENTITY,
            Role.FRONT_DESK,
            clientId=client,
            fullName=f"Anna Lis {n}",
            reason="married",
            idempotencyKey=new_key(),
        )
        return answer["__typename"]  # type: ignore[no-any-return]

    # When six amendments arrive at once
    answers = await asyncio.gather(*(amend(n) for n in range(6)))
    # Then two are kept and four refused, and the identity holds exactly its bound
    assert sorted(answers) == ["ClientPayload"] * 2 + ["ValidationFailed"] * 4
    count = await ClientIdentityAmendment.filter(client_id=raw_client(client)).count()
    assert count == MAX_IDENTITY_VERSIONS


TWO_AMENDMENTS = """
mutation Two($a: AmendClientIdentityInput!, $b: AmendClientIdentityInput!) {
  a: amendClientIdentity(input: $a) {
    ... on ClientPayload { client { identityHistory { version fullName } } }
  }
  b: amendClientIdentity(input: $b) {
    ... on ClientPayload { client { identityHistory { version fullName } } }
  }
}"""


async def test_a_later_answer_of_one_request_reads_the_identity_as_it_now_stands(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client, amended twice in one request, each answer asking every version
    clinic = await fresh_clinic()
    client = await clinic.register_client("Anna Nowak")
    first = {"clientId": client, "fullName": "Anna Lis", "reason": "married"}
    second = {"clientId": client, "fullName": "Anna Lis-Nowak", "reason": "double-barrelled"}
    data = await clinic.api.run(TWO_AMENDMENTS, clinic.token(Role.FRONT_DESK), a=first, b=second)
    # Then the second answer holds the second amendment (the first answer's read was not kept)
    names = [v["fullName"] for v in data["b"]["client"]["identityHistory"]]
    assert names == ["Anna Nowak", "Anna Lis", "Anna Lis-Nowak"]


async def test_an_email_given_can_be_removed_by_a_correction_and_the_history_shows_it(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client whose e-mail was recorded
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    given = {"clientId": client, "email": "anna@example.com", "reason": "new mailbox"}
    assert (await write(clinic, AMEND_CLIENT_IDENTITY, Role.FRONT_DESK, **given))[
        "__typename"
    ] == "ClientPayload"
    # When she withdraws it, but the desk also sends an address, or she has none to remove
    both = {"clientId": client, "reason": "r", "email": "a@b.pl", "clearEmail": True}
    refused = await write(clinic, AMEND_CLIENT_IDENTITY, Role.FRONT_DESK, **both)
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {"field": "clearEmail", "message": "either a new e-mail or its removal, not both"}
    ]
    # When the desk removes it, with a key, and retries
    removal = {
        "clientId": client,
        "clearEmail": True,
        "reason": "the client asked not to be e-mailed",
        "idempotencyKey": new_key(),
    }
    first = await write(clinic, AMEND_CLIENT_IDENTITY, Role.FRONT_DESK, **removal)
    assert first["__typename"] == "ClientPayload", first
    assert await write(clinic, AMEND_CLIENT_IDENTITY, Role.FRONT_DESK, **removal) == first
    # Then the client has no e-mail, and the history keeps the address and its removal
    data = await clinic.api.run(IDENTITY, clinic.token(Role.CONSULTANT), id=client)
    page = data["client"]
    assert (page["phone"], page["email"]) == ("+48 600 100 200", None)
    assert [(v["email"], v["reason"]) for v in page["identityHistory"]] == [
        (None, None),
        ("anna@example.com", "new mailbox"),
        (None, "the client asked not to be e-mailed"),
    ]
    # And removing it again changes nothing: refused, nothing appended
    again = {**removal, "idempotencyKey": new_key()}
    nothing = await write(clinic, AMEND_CLIENT_IDENTITY, Role.FRONT_DESK, **again)
    assert nothing["__typename"] == "ValidationFailed", nothing
    assert [p["field"] for p in nothing["problems"]] == ["input"]
    assert await ClientIdentityAmendment.filter(client_id=raw_client(client)).count() == 2
