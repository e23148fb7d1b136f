"""Who may read and write the client file, retries with one idempotency key, and the audit
entries every read and write of the file leaves."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from domain.roles import Role
from domain.store.audit_models import AuditEntry
from domain.store.client_file import ClientEntry
from tests.api.audit_support import (
    clinic_of,
    entries_of_request,
    new_request_id,
    raw_client,
    run_traced,
    seen,
)
from tests.api.client_file_support import (
    ADD_SERVICE_CARD_ENTRY,
    ALLERGIES,
    ALLERGY,
    AMEND_CLIENT_ENTRY,
    FILE,
    MARK_ENTERED_IN_ERROR,
    RECORD_ALLERGY,
    SERVICE_CARD,
    entry,
    new_key,
    nodes,
    write,
)
from tests.api.flow import JourneyDriver
from tests.api.harness import Api
from tests.api.permission_probe import post

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
CONFLICT = {
    "__typename": "Conflict",
    "code": "CONFLICT",
    "message": "this idempotency key was used for another request",
}
PHONE_WISHES = {
    "section": "PHONE_WISHES",
    "note": "remind her of the recheck two days before",
    "askAboutResults": False,
}


async def test_a_retry_answers_the_first_entry_and_another_input_is_a_conflict(
    fresh_clinic: FreshClinic,
) -> None:
    # Given an allergy recorded with a key
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    key = new_key()
    first = await entry(
        clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, idempotencyKey=key, **ALLERGY
    )
    # When the same request comes again (twice at once), then with the key and another input
    retries = await asyncio.gather(
        *(
            entry(
                clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, idempotencyKey=key, **ALLERGY
            )
            for _ in range(2)
        )
    )
    other = await write(
        clinic,
        RECORD_ALLERGY,
        Role.NURSE,
        clientId=client,
        idempotencyKey=key,
        **{**ALLERGY, "severity": "SEVERE"},
    )
    # Then each retry answers the first entry, the other input is a conflict, one entry exists
    assert retries == [first, first]
    assert other == CONFLICT
    assert await ClientEntry.filter(client_id=raw_client(client)).count() == 1


async def test_corrections_retried_with_their_key_act_once(fresh_clinic: FreshClinic) -> None:
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    original = await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    amend = {
        "entryId": original["id"],
        "reason": "wrong severity",
        "allergy": {**ALLERGY, "severity": "SEVERE"},
        "idempotencyKey": new_key(),
    }
    first, again = [await entry(clinic, AMEND_CLIENT_ENTRY, Role.NURSE, **amend) for _ in range(2)]
    assert again == first and first["amendsId"] == original["id"]
    mark = {"entryId": first["id"], "reason": "wrong client", "idempotencyKey": new_key()}
    marked, remarked = [
        await entry(clinic, MARK_ENTERED_IN_ERROR, Role.NURSE, **mark) for _ in range(2)
    ]
    assert remarked == marked and marked["enteredInError"]["reason"] == "wrong client"
    assert await ClientEntry.filter(client_id=raw_client(client)).count() == 2


async def test_roles_outside_the_clinical_audience_cannot_read_or_write_clinical_parts(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given a client with an allergy and a service-card entry
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    allergy = await entry(clinic, RECORD_ALLERGY, Role.EXPERT, clientId=client, **ALLERGY)
    await entry(clinic, ADD_SERVICE_CARD_ENTRY, Role.CASHIER, clientId=client, **PHONE_WISHES)
    # When the cashier and the front desk record an allergy, and read the allergies
    for role in (Role.CASHIER, Role.FRONT_DESK, Role.FOLLOW_UP_STAFF):
        refused = await write(clinic, RECORD_ALLERGY, role, clientId=client, **ALLERGY)
        assert refused["__typename"] == "NotAuthorized", (role, refused)
        assert (
            refused["message"] == "Mutation.recordAllergy needs one of: CONSULTANT, EXPERT, NURSE"
        )
        answer = await post(api.url, clinic.token(role), ALLERGIES, {"id": client})
        # Then both are refused: the field is null with a NOT_AUTHORIZED error at its path
        assert answer["data"]["client"]["allergies"] is None
        assert [(e["path"], e["extensions"]["code"]) for e in answer["errors"]] == [
            (["client", "allergies"], "NOT_AUTHORIZED")
        ]
        # But they see the service card, which staff who meet the client share
        card = await clinic.api.run(SERVICE_CARD, clinic.token(role), id=client)
        assert [e["node"]["section"] for e in card["client"]["serviceCard"]["edges"]] == [
            "PHONE_WISHES"
        ]
    # And to them a clinical entry does not exist: they cannot correct it either
    hidden = await write(
        clinic, MARK_ENTERED_IN_ERROR, Role.CASHIER, entryId=allergy["id"], reason="x"
    )
    assert hidden["__typename"] == "NotFound", hidden
    # The administrator reads no client's data, not even the service card
    admin = await post(api.url, clinic.token(Role.ADMIN), SERVICE_CARD, {"id": client})
    assert admin["data"]["client"]["__typename"] == "NotAuthorized"
    assert await ClientEntry.filter(client_id=raw_client(client)).count() == 2


async def test_only_the_author_or_a_supervisor_corrects_an_entry(
    fresh_clinic: FreshClinic,
) -> None:
    # Given an allergy the nurse recorded
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    original = await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    amend = {"entryId": original["id"], "reason": "r", "allergy": {**ALLERGY, "reaction": "x"}}
    # When the expert (who did not write it) amends it or marks it, both are refused
    for document, input in (
        (AMEND_CLIENT_ENTRY, amend),
        (MARK_ENTERED_IN_ERROR, {"entryId": original["id"], "reason": "r"}),
    ):
        refused = await write(clinic, document, Role.EXPERT, **input)
        assert refused == {
            "__typename": "NotAuthorized",
            "code": "NOT_AUTHORIZED",
            "message": "only its author or a supervisor may correct an entry",
        }
    # Then nothing changed, and the supervisor may
    assert (await nodes(clinic, client, "allergies"))[0]["inForce"] is True
    corrected = await entry(clinic, AMEND_CLIENT_ENTRY, Role.SUPERVISOR, **amend)
    assert corrected["authorRole"] == "SUPERVISOR"


async def test_every_read_of_the_file_leaves_an_audit_entry_per_part(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given a client with entries
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    client = await clinic.register_client()
    await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    raw = raw_client(client)
    # When the expert reads the whole file in one request
    request_id = new_request_id()
    data = await run_traced(api, FILE, clinic.token(Role.EXPERT), request_id, id=client)
    assert len(data["client"]["allergies"]["edges"]) == 1
    # Then the client and each part read is one entry naming the reader, the client and the part
    parts = (
        "client.read",
        "client.allergies.read",
        "client.medical_history.read",
        "client.medications.read",
        "client.pregnancy_status.read",
        "client.service_card.read",
    )
    expected = seen(clinic, Role.EXPERT, clinic_id, request_id, *((raw, what) for what in parts))
    assert sorted(await entries_of_request(request_id)) == sorted(expected)
    # And a write leaves its entry under the mutation's name
    request_id = new_request_id()
    await run_traced(
        api,
        ADD_SERVICE_CARD_ENTRY,
        clinic.token(Role.FRONT_DESK),
        request_id,
        input={"clientId": client, **PHONE_WISHES},
    )
    written = await AuditEntry.filter(request_id=request_id, action="addServiceCardEntry")
    assert [(e.client_id, e.actor_role) for e in written] == [(raw, "FRONT_DESK")]
