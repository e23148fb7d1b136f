"""A client under 18 consents to her data being kept by her guardian (seed 003: the young need
their parents' consent; DOMAIN.md: under-18s sign by a guardian), as every other consent is:
`registerClient` takes `dataConsent` for her only with the guardian's name and relation, kept in
her file and shown as `Client.dataConsentGuardian`. An adult consents herself, as before."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from domain.client_file.data_consent import GUARDIAN_GIVES, RELATION_NEEDED
from domain.client_file.kinds import EntryKind
from domain.roles import Role
from domain.store.client_file import ClientEntry
from domain.store.models import Client
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver, new_key

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
REGISTER = """
mutation Register($input: RegisterClientInput!) {
  registerClient(input: $input) {
    __typename
    ... on ClientPayload {
      client { id dataConsentAt dataConsentGuardian { name relation recordedAt } }
    }
    ... on ValidationFailed { problems { field message } }
  }
}
"""
READ = """
query Client($id: ID!) {
  client(id: $id) { ... on Client { dataConsentGuardian { name relation } } }
}
"""


def _aged(years: int) -> str:
    """A birth date `years` ago, on the first of this month (no leap day to fall on)."""
    born = datetime.now(UTC).date().replace(day=1)
    return born.replace(year=born.year - years).isoformat()


def _input(birth_date: str, **more: Any) -> dict[str, Any]:
    return {
        "fullName": "Ola Nowak",
        "birthDate": birth_date,
        "phone": "+48 600 100 202",
        "dataConsent": True,
        "registerAnyway": True,  # shared test data, another person
        "idempotencyKey": new_key(),
        **more,
    }


async def _register(clinic: JourneyDriver, input: dict[str, Any]) -> dict[str, Any]:
    data = await clinic.api.run(REGISTER, clinic.token(Role.FRONT_DESK), input=input)
    return data["registerClient"]  # type: ignore[no-any-return]


async def _held(clinic: JourneyDriver) -> tuple[int, int]:
    """The clinic's clients and data-consent entries."""
    clinic_id = await clinic_of(clinic)
    consents = ClientEntry.filter(clinic_id=clinic_id, kind=EntryKind.DATA_CONSENT.value)
    return await Client.filter(clinic_id=clinic_id).count(), await consents.count()


async def test_a_minor_is_registered_only_with_the_guardian_who_consents(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a clinic, and a client of 14 at its desk
    clinic = await fresh_clinic()
    before = await _held(clinic)
    # When she is registered on her own consent, or with a guardian named but not related
    alone = await _register(clinic, _input(_aged(14)))
    unrelated = await _register(clinic, _input(_aged(14), guardianName="Anna Nowak"))
    # Then both are refused, naming the fields, and nothing is written
    assert alone == {
        "__typename": "ValidationFailed",
        "problems": [
            {"field": "guardianName", "message": GUARDIAN_GIVES},
            {"field": "guardianRelation", "message": RELATION_NEEDED},
        ],
    }
    assert unrelated == {
        "__typename": "ValidationFailed",
        "problems": [{"field": "guardianRelation", "message": RELATION_NEEDED}],
    }
    assert await _held(clinic) == before
    # When her mother gives the consent (sent twice: a retry of the same request)
    given = _input(_aged(14), guardianName=" Anna  Nowak ", guardianRelation="mother")
    first = await _register(clinic, given)
    again = await _register(clinic, given)
    # Then she is registered once, with her guardian kept in her file and shown
    assert first["__typename"] == "ClientPayload", first
    assert again == first
    client = first["client"]
    guardian = client["dataConsentGuardian"]
    assert (guardian["name"], guardian["relation"]) == ("Anna Nowak", "mother")
    assert guardian["recordedAt"] == client["dataConsentAt"]
    assert await _held(clinic) == (before[0] + 1, before[1] + 1)
    read = await clinic.api.run(READ, clinic.token(Role.CONSULTANT), id=client["id"])
    assert read["client"]["dataConsentGuardian"] == {"name": "Anna Nowak", "relation": "mother"}


async def test_an_adult_consents_herself_and_a_guardian_named_needs_a_relation(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a clinic, and a client of 30
    clinic = await fresh_clinic()
    before = await _held(clinic)
    # When a guardian is named for her without saying how they are related
    unrelated = await _register(clinic, _input(_aged(30), guardianName="Jan Nowak"))
    # Then it is refused, and nothing is written
    assert unrelated == {
        "__typename": "ValidationFailed",
        "problems": [{"field": "guardianRelation", "message": RELATION_NEEDED}],
    }
    assert await _held(clinic) == before
    # When she consents herself
    herself = await _register(clinic, _input(_aged(30)))
    # Then she is registered with no guardian, as before
    assert herself["__typename"] == "ClientPayload", herself
    assert herself["client"]["dataConsentGuardian"] is None
    assert await _held(clinic) == (before[0] + 1, before[1])
