"""A minor's guardian, named at registration (`DATA_CONSENT` entry of her file), is corrected
with `amendClientEntry` (`dataConsentGuardian`): a new entry pointing at the original, which
stays readable; checked as `registerClient` checked it (the name and the relation, each on one
line), by the desk that registered her or a supervisor, once per key. `Client.dataConsentGuardian`
and her copy of the file show it as corrected; it is still not marked entered in error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.client_file.kinds import EntryKind
from domain.roles import Role
from domain.store.client_file import ClientEntry
from schema.ids import decode_id
from tests.api.client_file_support import export_file, write
from tests.api.flow import JourneyDriver, new_key
from tests.api.test_minor_data_consent import _aged, _input, _register

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
AMEND = """
mutation Amend($input: AmendClientEntryInput!) {
  amendClientEntry(input: $input) {
    __typename
    ... on ClientEntryPayload {
      entry {
        ... on DataConsentEntry { id amendsId reason inForce guardianName guardianRelation }
      }
    }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""
MARK = """
mutation Mark($input: MarkEnteredInErrorInput!) {
  markEnteredInError(input: $input) { __typename }
}
"""
READ = """
query Client($id: ID!) {
  client(id: $id) { ... on Client { dataConsentGuardian { entryId name relation } } }
}
"""


async def _guardian(clinic: JourneyDriver, client_id: str) -> dict[str, Any]:
    data = await clinic.api.run(READ, clinic.token(Role.CONSULTANT), id=client_id)
    return data["client"]["dataConsentGuardian"]  # type: ignore[no-any-return]


async def _amend(
    clinic: JourneyDriver, role: Role, entry_id: str, key: str | None = None, **guardian: Any
) -> dict[str, Any]:
    return await write(
        clinic,
        AMEND,
        role,
        entryId=entry_id,
        reason="the desk misheard her mother's name",
        dataConsentGuardian=guardian,
        idempotencyKey=key or new_key(),
    )


async def _consents(client_id: str) -> int:
    raw = decode_id(client_id, "Client")
    return await ClientEntry.filter(client_id=raw, kind=EntryKind.DATA_CONSENT.value).count()


async def _a_girl_on_her_mother_s_consent(clinic: JourneyDriver) -> tuple[str, str]:
    """A girl of 14 registered on her mother's consent: her id and the consent entry's."""
    registered = await _register(
        clinic, _input(_aged(14), guardianName="Anna Nowak", guardianRelation="mother")
    )
    client_id: str = registered["client"]["id"]
    return client_id, (await _guardian(clinic, client_id))["entryId"]


async def test_the_desk_corrects_a_minor_s_guardian_and_every_reader_shows_it(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a girl of 14 registered on her mother's consent, her name misheard
    clinic = await fresh_clinic()
    client_id, original = await _a_girl_on_her_mother_s_consent(clinic)
    # When the desk that registered her corrects it (the name sent on two lines), twice with
    # one key
    key = new_key()
    given = {"guardianName": "Hanna\n Nowak", "guardianRelation": "mother"}
    first = await _amend(clinic, Role.FRONT_DESK, original, key, **given)
    again = await _amend(clinic, Role.FRONT_DESK, original, key, **given)
    # Then one correction is written, pointing at the original, its name on one line
    assert first["__typename"] == "ClientEntryPayload", first
    assert again == first
    entry = first["entry"]
    assert (entry["guardianName"], entry["guardianRelation"]) == ("Hanna Nowak", "mother")
    assert (entry["amendsId"], entry["inForce"]) == (original, True)
    assert await _consents(client_id) == 2
    # And her file shows the guardian as corrected, the correction's id to correct again
    shown = await _guardian(clinic, client_id)
    assert shown == {"entryId": entry["id"], "name": "Hanna Nowak", "relation": "mother"}
    # And her copy keeps the original, out of force, with the correction in force beside it
    copy = (await export_file(clinic, client_id, new_key()))["file"]
    kept = {(g["guardianName"], g["inForce"]) for g in copy["dataConsentGuardians"]}
    assert kept == {("Anna Nowak", False), ("Hanna Nowak", True)}
    # And the entry is not marked entered in error: a minor's consent needs its guardian
    marked = await write(
        clinic, MARK, Role.SUPERVISOR, entryId=entry["id"], reason="x", idempotencyKey=new_key()
    )
    assert marked["__typename"] == "NotFound", marked


async def test_a_guardian_s_correction_is_checked_as_the_registration_was(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a girl of 14 registered on her mother's consent
    clinic = await fresh_clinic()
    client_id, original = await _a_girl_on_her_mother_s_consent(clinic)
    # When the correction names no guardian, no relation, or too long a name
    for guardian, field in (
        ({"guardianName": " ", "guardianRelation": "mother"}, "guardianName"),
        ({"guardianName": "Hanna Nowak", "guardianRelation": ""}, "guardianRelation"),
        ({"guardianName": "H" * 201, "guardianRelation": "mother"}, "guardianName"),
    ):
        refused = await _amend(clinic, Role.FRONT_DESK, original, **guardian)
        # Then it is refused on that field
        assert refused["__typename"] == "ValidationFailed", refused
        fields = {p["field"] for p in refused["problems"]}
        assert fields == {f"dataConsentGuardian.{field}"}, refused
    # And a nurse, who did not register her, may not correct it
    by_nurse = await _amend(
        clinic, Role.NURSE, original, guardianName="Hanna Nowak", guardianRelation="mother"
    )
    assert by_nurse["__typename"] == "NotAuthorized", by_nurse
    # And another part's fields do not correct it
    wrong = await write(
        clinic,
        AMEND,
        Role.FRONT_DESK,
        entryId=original,
        reason="misheard",
        allergy={"substance": "latex", "reaction": "rash", "severity": "MILD"},
        idempotencyKey=new_key(),
    )
    assert wrong["__typename"] == "ValidationFailed", wrong
    # And nothing was written: her guardian reads as registered
    assert await _consents(client_id) == 1
    assert (await _guardian(clinic, client_id))["name"] == "Anna Nowak"
