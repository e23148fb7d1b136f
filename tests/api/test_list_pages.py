"""Lists that grow for as long as a clinic works are read in bounded pages: a day's desk log
(`afterSeq`), a client's identity versions (`afterVersion`), consents and photo consent changes
(`after` an id)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.roles import Role
from domain.store.consents import ConsentSignature
from domain.store.photos import PhotoConsentChange
from domain.store.triage_models import TriageEntry
from tests.api import documents
from tests.api.audit_support import raw_client
from tests.api.client_file_support import AMEND_CLIENT_IDENTITY, new_key, write
from tests.api.consent_support import publish, signing
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, create_clinic, sign_in_all
from tests.api.photo_support import set_consent
from tests.api.refused_input import refusal, refused_input

FreshClinic = Callable[[], Awaitable[JourneyDriver]]

LOG = """
query Log($clinicId: ID!, $date: Date!, $after: Int, $first: Int) {
  triageLog(clinicId: $clinicId, date: $date, afterSeq: $after, first: $first) { seq reason }
}"""
VERSIONS = """
query Versions($id: ID!, $after: Int, $first: Int) {
  client(id: $id) {
    ... on Client { identityHistory(afterVersion: $after, first: $first) { version fullName } }
  }
}"""
CONSENTS = """
query Consents($id: ID!, $after: ID, $first: Int) {
  client(id: $id) { ... on Client { consents(after: $after, first: $first) { id signedAt } } }
}"""


async def _pages(read: Callable[[Any], Awaitable[list[dict[str, Any]]]], key: str) -> list:  # type: ignore[type-arg]
    """Every page of two, each asked after the last item of the one before, until an empty
    one; no page longer than two."""
    pages: list[list[dict[str, Any]]] = []
    after = None
    while True:
        page = await read(after)
        assert len(page) <= 2, page
        if not page:
            return pages
        pages.append(page)
        after = page[-1][key]


async def test_a_days_desk_log_read_page_by_page_is_the_whole_day_once(api: Api) -> None:
    # Given a desk whose log holds seven entries today and two on another day
    clinic = f"pages-{uuid.uuid4().hex[:8]}"
    await create_clinic(clinic, prefix=f"{clinic}-")
    token = (await sign_in_all(api, prefix=f"{clinic}-"))[Role.FRONT_DESK].token
    today, other_day = date(2026, 3, 2), date(2026, 3, 1)
    for seq, day in enumerate([other_day] * 2 + [today] * 7, start=1):
        await TriageEntry.create(
            clinic_id=clinic,
            seq=seq,
            day=day.isoformat(),
            kind="ASSIGNED",
            at=datetime(2026, 3, day.day, 9, tzinfo=UTC) + timedelta(minutes=seq),
            actor_id="desk",
            reason=f"entry {seq}",
            policy="ROUND_ROBIN",
            details={},
        )

    async def read(after: int | None) -> list[dict[str, Any]]:
        data = await api.run(
            LOG, token, clinicId=clinic, date=today.isoformat(), after=after or 0, first=2
        )
        return data["triageLog"]  # type: ignore[no-any-return]

    # When the day is read two entries at a time
    pages = await _pages(read, "seq")
    # Then the pages are the day's seven entries, in order, each once
    assert [e["seq"] for page in pages for e in page] == [3, 4, 5, 6, 7, 8, 9]
    whole = await api.run(LOG, token, clinicId=clinic, date=today.isoformat())
    assert [e["seq"] for e in whole["triageLog"]] == [3, 4, 5, 6, 7, 8, 9]
    # And a page out of range is refused with what is allowed, naming the argument
    for bad, expected in (
        ({"first": 0}, refusal("first", "first: 1 to 500", "OUT_OF_RANGE")),
        ({"first": 501}, refusal("first", "first: 1 to 500", "OUT_OF_RANGE")),
        ({"after": -1}, refusal("afterSeq", "afterSeq: 0 or more", "OUT_OF_RANGE")),
    ):
        asked = api.run(LOG, token, clinicId=clinic, date=today.isoformat(), **bad)
        assert await refused_input(asked) == expected, bad


async def test_identity_versions_read_page_by_page_are_every_version_once(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client registered and then amended four times
    clinic = await fresh_clinic()
    client = await clinic.register_client("Name 1")
    for n in range(2, 6):
        amended = await write(
            clinic,
            AMEND_CLIENT_IDENTITY,
            Role.FRONT_DESK,
            clientId=client,
            fullName=f"Name {n}",
            reason=f"correction {n}",
            idempotencyKey=new_key(),
        )
        assert amended["__typename"] == "ClientPayload", amended
    token = clinic.token(Role.CONSULTANT)

    async def read(after: int | None) -> list[dict[str, Any]]:
        data = await clinic.api.run(VERSIONS, token, id=client, after=after or 0, first=2)
        return data["client"]["identityHistory"]  # type: ignore[no-any-return]

    # When the versions are read two at a time
    pages = await _pages(read, "version")
    # Then they are versions 1 to 5, as registered and then each amendment, in order
    versions = [(v["version"], v["fullName"]) for page in pages for v in page]
    assert versions == [(n, f"Name {n}") for n in range(1, 6)]
    # And a page of one after the third is the fourth
    page = await clinic.api.run(VERSIONS, token, id=client, after=3, first=1)
    assert page["client"]["identityHistory"] == [{"version": 4, "fullName": "Name 4"}]
    # And a page out of range is refused, naming the argument
    too_many = clinic.api.run(VERSIONS, token, id=client, first=501)
    assert await refused_input(too_many) == refusal("first", "first: 1 to 500", "OUT_OF_RANGE")
    before_any = clinic.api.run(VERSIONS, token, id=client, after=-1)
    expected = refusal("afterVersion", "afterVersion: 0 or more", "OUT_OF_RANGE")
    assert await refused_input(before_any) == expected


async def test_consents_read_page_by_page_are_every_consent_once(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client who signed a consent, and four more signatures kept since, two of them
    # at the same moment (the id orders those)
    clinic = await fresh_clinic()
    await publish(clinic)
    client = await clinic.register_client()
    journey = await clinic.drive_to("CONSENT", await clinic.start(client))
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(journey["id"], 1))
    signed = await ConsentSignature.get(client_id=raw_client(client))
    later = signed.signed_at + timedelta(hours=1)
    for n, at in enumerate([later, later, later + timedelta(hours=1), later + timedelta(hours=2)]):
        fields = {f: getattr(signed, f) for f in signed._meta.db_fields if f != "id"}
        await ConsentSignature.create(**{**fields, "id": f"{signed.id}-{n}", "signed_at": at})
    token = clinic.token(Role.EXPERT)

    async def read(after: str | None) -> list[dict[str, Any]]:
        data = await clinic.api.run(CONSENTS, token, id=client, after=after, first=2)
        return data["client"]["consents"]  # type: ignore[no-any-return]

    # When they are read two at a time
    pages = await _pages(read, "id")
    # Then the pages are the five consents, oldest first, each once
    whole = (await clinic.api.run(CONSENTS, token, id=client))["client"]["consents"]
    assert len(whole) == 5
    assert [c for page in pages for c in page] == whole
    # And a cursor that is not one of this client's consents is refused
    other = await clinic.register_client()
    elsewhere = clinic.api.run(CONSENTS, token, id=other, after=whole[0]["id"])
    message = "after: not the id of one of this client's ConsentSignature rows"
    assert await refused_input(elsewhere) == refusal("after", message, "UNKNOWN_VALUE")
    none = clinic.api.run(CONSENTS, token, id=client, first=0)
    assert await refused_input(none) == refusal("first", "first: 1 to 500", "OUT_OF_RANGE")


PHOTO_CHANGES = """
query Changes($id: ID!, $after: ID, $first: Int) {
  client(id: $id) {
    ... on Client { photoConsents { inForce changes(after: $after, first: $first) { id given } } }
  }
}"""


async def test_photo_consents_change_only_when_asked_for_a_change_and_read_in_pages(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client who gives teaching, is asked three more times, withdraws and gives again
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    for given in (True, True, True, True, False, False, True):
        await set_consent(clinic, client, "TEACHING", given=given)
    token = clinic.token(Role.FRONT_DESK)
    # Then the history holds only the three changes, and the purpose is given
    whole = (await clinic.api.run(PHOTO_CHANGES, token, id=client))["client"]["photoConsents"]
    assert whole["inForce"] == ["TEACHING"]
    assert [c["given"] for c in whole["changes"]] == [True, False, True]
    rows = await PhotoConsentChange.filter(client_id=raw_client(client)).count()
    assert rows == 3

    async def read(after: str | None) -> list[dict[str, Any]]:
        data = await clinic.api.run(PHOTO_CHANGES, token, id=client, after=after, first=2)
        return data["client"]["photoConsents"]["changes"]  # type: ignore[no-any-return]

    # And read two at a time, the changes are the same, each once
    pages = await _pages(read, "id")
    assert [c for page in pages for c in page] == whole["changes"]
    # And a page after what is not one of her changes is refused, naming the argument
    unknown = clinic.api.run(PHOTO_CHANGES, token, id=client, after="UGhvdG86MQ==")
    message = "after: not the id of one of this client's PhotoConsentChange rows"
    assert await refused_input(unknown) == refusal("after", message, "UNKNOWN_VALUE")
