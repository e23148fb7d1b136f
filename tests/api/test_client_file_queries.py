"""A list of clients with their file parts costs the same queries of the file's tables for one
client as for many: each part's entries, their corrections and their error marks are loaded in
one batch per request (DataLoaders), never per client; so are their consents, identity versions
and photo consents, and a page of photos with their links asks for the client's photo consents
once."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable

from domain.roles import Role
from domain.store.consents import ConsentSignature
from tests.api import documents
from tests.api.audit_support import raw_client
from tests.api.client_file_support import (
    ADD_SERVICE_CARD_ENTRY,
    ALLERGY,
    AMEND_CLIENT_IDENTITY,
    RECORD_ALLERGY,
    entry,
    new_key,
    write,
)
from tests.api.consent_support import publish, signing
from tests.api.flow import JourneyDriver
from tests.api.photo_support import LINK, png, set_consent, upload
from tests.sql_statements import statements_naming

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
LIST = """
query Listed {
  clients(first: 20) {
    ... on ClientConnection {
      edges {
        node {
          fullName
          allergies { ... on AllergyEntryConnection { edges { node { substance inForce } } } }
          serviceCard { ... on ServiceCardEntryConnection { edges { node { note } } } }
        }
      }
    }
  }
}
"""


def _file_statements(*tables: str) -> contextlib.AbstractContextManager[list[str]]:
    """The SQL statements run meanwhile that read or write the given tables (by default the
    client file's entries)."""
    return statements_naming(*(tables or ("client_entry",)))


async def _clinic_with(clients: int, fresh_clinic: FreshClinic) -> JourneyDriver:
    clinic = await fresh_clinic()
    for n in range(clients):
        client = await clinic.register_client(f"Client {n}")
        await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
        card = {"section": "PREFERENCE_DRINKS", "note": "green tea"}
        await entry(clinic, ADD_SERVICE_CARD_ENTRY, Role.NURSE, clientId=client, **card)
    return clinic


async def test_listing_many_files_costs_the_queries_of_one(fresh_clinic: FreshClinic) -> None:
    counts = []
    for clients in (1, 5):
        clinic = await _clinic_with(clients, fresh_clinic)
        with _file_statements() as statements:
            data = await clinic.api.run(LIST, clinic.token(Role.NURSE))
        assert len(data["clients"]["edges"]) == clients
        counts.append(len(statements))
    # entries (one query for both parts), their corrections, their error marks
    assert counts == [3, 3]


# (pages of 10: the lists' default pages of 100, for 20 clients, are past the answer-size bound)
CONSENTS_AND_VERSIONS = """
query Listed {
  clients(first: 20) {
    ... on ClientConnection {
      edges {
        node {
          consents(first: 10) { id withdrawnAt }
          identityHistory(first: 10) { version fullName }
          photoConsents { inForce changes(first: 10) { purpose given } }
        }
      }
    }
  }
}
"""
LISTS = (
    "consent_signature",
    "consent_withdrawal",
    "client_identity_amendment",
    "photo_consent_change",
)


async def _clients_with_lists(clients: int, fresh_clinic: FreshClinic) -> JourneyDriver:
    """Clients each with a consent (the first signed through the API, the others its copies),
    an identity amendment and a photo purpose given."""
    clinic = await fresh_clinic()
    await publish(clinic)
    signed = None
    for n in range(clients):
        client = await clinic.register_client(f"Client {n}")
        if signed is None:
            journey = await clinic.drive_to("CONSENT", await clinic.start(client))
            await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(journey["id"], 1))
            signed = await ConsentSignature.get(client_id=raw_client(client))
        else:
            fields = {f: getattr(signed, f) for f in signed._meta.db_fields}
            copy = {"id": f"{signed.id}-{n}", "client_id": raw_client(client)}
            await ConsentSignature.create(**{**fields, **copy})
        amend = {"clientId": client, "fullName": f"Client {n}b", "reason": "spelling"}
        await write(
            clinic, AMEND_CLIENT_IDENTITY, Role.FRONT_DESK, **amend, idempotencyKey=new_key()
        )
        await set_consent(clinic, client, "TEACHING", given=True)
    return clinic


async def test_listing_many_clients_lists_costs_the_queries_of_one(
    fresh_clinic: FreshClinic,
) -> None:
    counts = []
    for clients in (1, 5):
        clinic = await _clients_with_lists(clients, fresh_clinic)
        with _file_statements(*LISTS) as statements:
            data = await clinic.api.run(CONSENTS_AND_VERSIONS, clinic.token(Role.EXPERT))
        nodes = [edge["node"] for edge in data["clients"]["edges"]]
        assert [len(node["consents"]) for node in nodes] == [1] * clients
        assert [len(node["identityHistory"]) for node in nodes] == [2] * clients
        assert [node["photoConsents"]["inForce"] for node in nodes] == [["TEACHING"]] * clients
        counts.append(len(statements))
    # consents, their withdrawals, identity amendments, photo consents now and their changes
    assert counts == [5, 5]


async def test_a_page_of_photo_links_reads_the_client_s_consents_once(
    fresh_clinic: FreshClinic,
) -> None:
    counts = []
    for photos in (1, 4):
        clinic = await fresh_clinic()
        client = await clinic.register_client()
        journey = await clinic.start(client)
        await set_consent(clinic, client, "CLINICAL_RECORD", True)
        for n in range(photos):
            tags = {"clientId": client, "journeyId": journey["id"], "idempotencyKey": new_key()}
            await upload(clinic, Role.NURSE, png(f"photo {n}".encode()), **tags)
        with _file_statements("photo_consent_change") as statements:
            data = await clinic.api.run(
                LINK, clinic.token(Role.EXPERT), id=client, purpose="CLINICAL_RECORD"
            )
        links = [edge["node"]["link"] for edge in data["client"]["photos"]["edges"]]
        assert [found["__typename"] for found in links] == ["PhotoLink"] * photos
        counts.append(len(statements))
    assert counts == [1, 1]
