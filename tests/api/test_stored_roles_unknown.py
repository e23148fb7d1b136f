"""Every role a record or an account names is answered as `ConsentSignature.witnessRole` and
`FileDisclosure.recordedByRole` are (`test_recorded_roles`): a stored role this release does not
know (a later release's, read after a rollback) is an error of that field, naming it and saying
why, never the masked "Unexpected error." of a fault. Each row is written here directly, past the
API, as a later release would have written it."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.audit import record_hash
from domain.roles import Role
from domain.store.aftercare import FollowUpTask
from domain.store.audit_chain import stored_record
from domain.store.audit_models import AuditChainHead, AuditEntry
from domain.store.client_file import ClientEntry, ClientEntryError
from domain.store.models import Journey as JourneyRow
from domain.store.models import JourneyEvent, StaffAccount
from domain.store.photos import Photo, PhotoConsentChange
from schema.ids import decode_id
from tests.api import client_file_support as files
from tests.api import documents, photo_support
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver
from tests.store.money_rows import journey as journey_row

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
LATER = "SCRIBE"
ROLES_IN_LOG = """
query Log($clientId: ID!) {
  auditLog(clientId: $clientId) { ... on AuditLogConnection { edges { node { actorRole } } } }
}
"""
PHOTOS_ONLY = """
query Photos($id: ID!) {
  client(id: $id) {
    ... on Client { photos { ... on PhotoConnection { edges { node { takenByRole } } } } }
  }
}
"""
MY_TASKS = (
    "query { myTasks { ... on FollowUpTaskConnection { edges { node { id assigneeRole } } } } }"
)
PHOTO_CONSENTS = """
query Consents($id: ID!) {
  client(id: $id) { ... on Client { photoConsents { changes { purpose recordedByRole } } } }
}
"""
ACTORS = """
query Log($clientId: ID!) {
  auditLog(clientId: $clientId) { ... on AuditLogConnection { edges { node { actor { role } } } } }
}
"""


async def _refused(
    driver: JourneyDriver, role: Role, document: str, **variables: Any
) -> list[list[Any]]:
    """The errors a read answered, each naming the role it does not know: their paths."""
    with pytest.raises(TransportQueryError) as refused:
        await driver.api.run(document, driver.token(role), **variables)
    errors = refused.value.errors or []
    assert errors, refused.value
    for error in errors:
        assert error["message"] == f"a role this release does not know: {LATER}", errors
    return [error["path"] for error in errors]


async def _copy(row: Any, **changes: Any) -> Any:
    """Another row like `row` (a new id), with `changes`."""
    kept = {k: v for k, v in dict(row).items() if k not in ("id", "client")}
    return await type(row).create(**{**kept, "id": str(uuid.uuid4()), **changes})


async def test_a_journey_event_by_a_later_role(driver: JourneyDriver) -> None:
    # Given a journey whose log has an event by a role a later release added
    journey = await driver.start()
    raw = decode_id(journey["id"], "Journey")
    last = await JourneyEvent.filter(journey_id=raw).order_by("-seq").first()
    assert last is not None
    kept = {k: v for k, v in dict(last).items() if k not in ("id", "record_id")}
    await JourneyEvent.create(**{**kept, "seq": last.seq + 1, "actor_role": LATER})
    await JourneyRow.filter(id=raw).update(last_event_seq=last.seq + 1)
    # When a supervisor reads the journey, its error names that event's actorRole
    (path,) = await _refused(driver, Role.SUPERVISOR, documents.JOURNEY, id=journey["id"])
    assert path[-3:] == ["history", last.seq, "actorRole"], path


async def test_a_staff_member_and_an_audit_entry_of_a_later_role(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client registered by the desk, whose account a later release gave a new role
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    desk = clinic.staff[Role.FRONT_DESK].account_id
    await StaffAccount.filter(id=desk).update(role=LATER)
    # When a supervisor reads who read and wrote her file: the actor's role is the error
    paths = await _refused(clinic, Role.SUPERVISOR, ACTORS, clientId=client)
    assert {tuple(path[-2:]) for path in paths} == {("actor", "role")}, paths
    # Given an entry of the clinic's chain (the next one, chained) written by that role
    clinic_id = await clinic_of(clinic)
    head = await AuditChainHead.get(clinic_id=clinic_id)
    last = stored_record(await AuditEntry.get(clinic_id=clinic_id, seq=head.seq))
    later = replace(
        last, id=str(uuid.uuid4()), seq=head.seq + 1, prev_hash=head.hash, actor_role=LATER
    )
    await AuditEntry.create(**asdict(later), hash=record_hash(later))
    await AuditChainHead.filter(clinic_id=clinic_id).update(seq=later.seq, hash=record_hash(later))
    # Then reading the log itself names its actorRole
    (path,) = await _refused(clinic, Role.SUPERVISOR, ROLES_IN_LOG, clientId=client)
    assert path[-1] == "actorRole", path


async def test_a_task_on_a_later_roles_list(fresh_clinic: FreshClinic) -> None:
    # Given a call assigned to follow-up staff, written for a role a later release added
    clinic = await fresh_clinic()
    clinic_id, now = await clinic_of(clinic), datetime.now(UTC)
    jid = await journey_row(clinic_id, now)
    await FollowUpTask.create(
        id=f"fu-1-{jid}",
        clinic_id=clinic_id,
        journey_id=jid,
        follow_up_id="fu-1",
        kind="FOLLOW_UP_CALL",
        label="24h",
        status="OPEN",
        assignee_role=LATER,
        assignee_id=clinic.staff[Role.FOLLOW_UP_STAFF].account_id,
        due_at=now,
        updated_at=now,
    )
    # When they read their list, the error names the task's assigneeRole
    (path,) = await _refused(clinic, Role.FOLLOW_UP_STAFF, MY_TASKS)
    assert path[-1] == "assigneeRole", path


async def _allergy(driver: JourneyDriver) -> tuple[str, ClientEntry]:
    """A new client with an allergy recorded by a nurse: (client, the entry's row)."""
    client = await driver.register_client()
    entry = await files.entry(
        driver, files.RECORD_ALLERGY, Role.NURSE, clientId=client, **files.ALLERGY
    )
    return client, await ClientEntry.get(id=decode_id(entry["id"], "ClientEntry"))


async def test_a_file_entry_by_a_later_role(driver: JourneyDriver) -> None:
    # Given an allergy recorded by a nurse, and one like it by a role a later release added
    client, row = await _allergy(driver)
    await _copy(row, author_role=LATER)
    # When an expert reads her allergies, the error names the entry's authorRole
    (path,) = await _refused(driver, Role.EXPERT, files.ALLERGIES, id=client)
    assert path[-1] == "authorRole" and "enteredInError" not in path, path


async def test_an_entry_marked_in_error_by_a_later_role(driver: JourneyDriver) -> None:
    # Given an allergy marked entered in error by a role a later release added
    client, row = await _allergy(driver)
    await ClientEntryError.create(
        id=str(uuid.uuid4()),
        entry_id=row.id,
        reason="written for another client",
        author_id=row.author_id,
        author_role=LATER,
        marked_at=datetime.now(UTC),
    )
    # When an expert reads her allergies, the error names the mark's authorRole
    (path,) = await _refused(driver, Role.EXPERT, files.ALLERGIES, id=client)
    assert path[-2:] == ["enteredInError", "authorRole"], path


async def test_a_photo_consent_recorded_by_a_later_role(fresh_clinic: FreshClinic) -> None:
    # Given a client's photo consent given at the desk, and one recorded by a later role
    clinic, client, _ = await photo_support.consenting_client(fresh_clinic)
    raw = decode_id(client, "Client")
    given = await PhotoConsentChange.get(client_id=raw)
    await _copy(given, recorded_by_role=LATER, purpose="TEACHING")
    # When the desk reads her consents, the error names the later change's recordedByRole
    (path,) = await _refused(clinic, Role.FRONT_DESK, PHOTO_CONSENTS, id=client)
    assert path[-3] == "changes" and path[-1] == "recordedByRole", path


async def test_a_photo_taken_by_a_later_role(fresh_clinic: FreshClinic) -> None:
    # Given a photo of a client's journey uploaded by a role a later release added
    clinic, client, names = await photo_support.consenting_client(fresh_clinic)
    await Photo.create(
        id=str(uuid.uuid4()),
        clinic_id=await clinic_of(clinic),
        client_id=decode_id(client, "Client"),
        journey_id=decode_id(names["journeyId"], "Journey"),
        stage="BEFORE",
        body_area="left cheek",
        content_type="image/png",
        size_bytes=1,
        sha256="0" * 64,
        storage_key=f"photos/{uuid.uuid4()}",
        taken_by=clinic.staff[Role.NURSE].account_id,
        taken_by_role=LATER,
        uploaded_at=datetime.now(UTC),
    )
    # When a nurse reads her photos, the error names the photo's takenByRole
    (path,) = await _refused(clinic, Role.NURSE, PHOTOS_ONLY, id=client)
    assert path[-1] == "takenByRole", path
