"""Every read and write of a client's data through the API leaves exactly its audit entries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.audit_chain import verify_chain
from domain.store.audit_models import AuditEntry
from tests.api import documents
from tests.api.audit_support import (
    CLIENT,
    clinic_of,
    entries_of_request,
    new_request_id,
    raw_client,
    run_traced,
    seen,
)
from tests.api.flow import JourneyDriver
from tests.api.harness import Api

FreshClinic = Callable[[], Awaitable[JourneyDriver]]

EVERYTHING_ABOUT_ONE_CLIENT = """
query Everything($journey: ID!, $client: ID!) {
  journey(id: $journey) {
    ... on Journey { stage client { fullName } history { seq details } }
  }
  again: journey(id: $journey) { ... on Journey { history { summary } } }
  client(id: $client) { ... on Client { phone } }
  node(id: $client) { ... on Client { email } }
}
"""

LISTS = """
query Lists {
  journeys(first: 10) { ... on JourneyConnection { edges { node { id } } } }
  clients(first: 10) { ... on ClientConnection { edges { node { fullName } } } }
}
"""


async def test_reading_a_client_leaves_one_entry(api: Api, fresh_clinic: FreshClinic) -> None:
    # Given a client on file
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    client = await clinic.register_client("Ewa Audytowa")
    before = await AuditEntry.filter(clinic_id=clinic_id).count()
    # When a consultant reads the client file
    request_id = new_request_id()
    data = await run_traced(api, CLIENT, clinic.token(Role.CONSULTANT), request_id, id=client)
    # Then exactly one entry says who read which client, in which request
    assert data["client"]["fullName"] == "Ewa Audytowa"
    assert await entries_of_request(request_id) == seen(
        clinic, Role.CONSULTANT, clinic_id, request_id, (raw_client(client), "client.read")
    )
    assert await AuditEntry.filter(clinic_id=clinic_id).count() == before + 1


async def test_one_entry_per_client_and_kind_of_access_not_per_field(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given a journey
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    client = await clinic.register_client()
    journey = await clinic.start(client)
    # When one request reads the journey twice, its history twice and the client twice
    request_id = new_request_id()
    token = clinic.token(Role.SUPERVISOR)
    data = await run_traced(
        api, EVERYTHING_ABOUT_ONE_CLIENT, token, request_id, journey=journey["id"], client=client
    )
    assert data["journey"]["client"] == {"fullName": "Anna Nowak"}
    assert data["node"] == {"email": None}
    # Then each kind of access is one entry
    raw = raw_client(client)
    expected = seen(
        clinic,
        Role.SUPERVISOR,
        clinic_id,
        request_id,
        (raw, "client.read"),
        (raw, "journey.history.read"),
        (raw, "journey.read"),
    )
    assert sorted(await entries_of_request(request_id)) == expected


async def test_lists_leave_one_entry_per_client(api: Api, fresh_clinic: FreshClinic) -> None:
    # Given two clients, one of them with an ended journey and a new one
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    first, second = await clinic.register_client("Ala Pierwsza"), await clinic.register_client()
    ended = await clinic.start(first)
    await clinic.ok(
        documents.CANCEL_JOURNEY, Role.FRONT_DESK, journeyId=ended["id"], reason="clinic closed"
    )
    await clinic.start(first)
    await clinic.start(second)
    # When the front desk lists journeys (three) and clients (two) in one request
    request_id = new_request_id()
    data = await run_traced(api, LISTS, clinic.token(Role.FRONT_DESK), request_id)
    assert len(data["journeys"]["edges"]) == 3
    assert len(data["clients"]["edges"]) == 2
    # Then each client appears once per kind of read
    one, two = raw_client(first), raw_client(second)
    pairs = [(c, what) for c in (one, two) for what in ("client.read", "journey.read")]
    expected = sorted(seen(clinic, Role.FRONT_DESK, clinic_id, request_id, *pairs))
    assert sorted(await entries_of_request(request_id)) == expected


async def _mutate(
    api: Api, document: str, token: str, request_id: str, **input: Any
) -> dict[str, Any]:
    (result,) = (await run_traced(api, document, token, request_id, input=input)).values()
    return result  # type: ignore[no-any-return]


async def test_writes_are_recorded_under_the_mutation_name(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    desk = clinic.token(Role.FRONT_DESK)

    # When the desk registers a client, the write and the answer's read are recorded in order
    registering = new_request_id()
    registered = await _mutate(
        api,
        documents.REGISTER_CLIENT,
        desk,
        registering,
        fullName="Olga Zapisana",
        birthDate="1979-02-03",
        phone="+48 601 222 333",
        dataConsent=True,
        registerAnyway=True,
    )
    client = registered["client"]["id"]
    raw = raw_client(client)
    assert await entries_of_request(registering) == seen(
        clinic,
        Role.FRONT_DESK,
        clinic_id,
        registering,
        (raw, "registerClient"),
        (raw, "client.read"),
    )

    # And a journey action: the mutation's name, and the journey it answers with
    starting = new_request_id()
    started = await _mutate(api, documents.START_JOURNEY, desk, starting, clientId=client)
    assert started["__typename"] == "JourneyPayload"
    assigning = new_request_id()
    consultant = clinic.staff[Role.CONSULTANT].global_id
    assigned = await _mutate(
        api,
        documents.ASSIGN_CONSULTANT,
        desk,
        assigning,
        journeyId=started["journey"]["id"],
        consultantId=consultant,
    )
    assert assigned["journey"]["stage"] == "CONSULTATION"
    for request_id, mutation in [(starting, "startJourney"), (assigning, "assignConsultant")]:
        reads = [(raw, mutation), (raw, "journey.history.read"), (raw, "journey.read")]
        expected = sorted(seen(clinic, Role.FRONT_DESK, clinic_id, request_id, *reads))
        assert sorted(await entries_of_request(request_id)) == expected, mutation

    # But an action the journey refuses records nothing: nothing was changed or answered
    refused = new_request_id()
    again = await _mutate(
        api,
        documents.ASSIGN_CONSULTANT,
        clinic.token(Role.NURSE),
        refused,
        journeyId=started["journey"]["id"],
        consultantId=consultant,
    )
    assert again["__typename"] == "NotAuthorized"
    assert await entries_of_request(refused) == []

    # And the clinic's chain verifies, its seqs one after another from 1
    count = await AuditEntry.filter(clinic_id=clinic_id).count()
    assert count == 2 + 3 + 3
    assert await verify_chain(clinic_id) == (count, None)
    chain = await AuditEntry.filter(clinic_id=clinic_id).order_by("seq")
    assert [entry.seq for entry in chain] == list(range(1, count + 1))
