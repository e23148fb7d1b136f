"""The client file through the API: entries with author, role and time, amendments that leave
the original readable, entered-in-error marks that hide nothing, typed field errors."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from domain.roles import Role
from domain.store.client_file import ClientEntry, ClientEntryError
from domain.store.models import IdempotencyKey
from schema.clients.file_types import ENTRY_ID_TYPE
from schema.ids import decode_id
from tests.api.client_file_support import (
    ADD_SERVICE_CARD_ENTRY,
    ALLERGY,
    AMEND_CLIENT_ENTRY,
    MARK_ENTERED_IN_ERROR,
    PREGNANCY,
    RECORD_ALLERGY,
    RECORD_MEDICAL_HISTORY,
    RECORD_MEDICATION,
    RECORD_PREGNANCY_STATUS,
    entry,
    nodes,
    write,
)
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import clinic_today

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
LOCAL_TIME = re.compile(r"\d{4}-\d\d-\d\d [0-2]\d:[0-5]\d")


async def test_each_part_is_an_entry_with_author_role_and_local_time(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client
    clinic = await fresh_clinic()
    client = await clinic.register_client("Maria Kowalska")
    # When the consultant records history, an allergy, a medication and pregnancy status
    history = await entry(
        clinic,
        RECORD_MEDICAL_HISTORY,
        Role.CONSULTANT,
        clientId=client,
        topic="EARLIER_TREATMENT",
        description="fillers in the lips two years ago",
        treatment="hyaluronic acid, lips",
        treatedOn="2023-05-10",
        effect="lumps for three weeks",
    )
    await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    await entry(clinic, RECORD_MEDICATION, Role.EXPERT, clientId=client, name="isotretinoin")
    await entry(
        clinic,
        RECORD_PREGNANCY_STATUS,
        Role.CONSULTANT,
        clientId=client,
        pregnant=False,
        lactating=True,
        statedOn=clinic_today().isoformat(),
    )
    # Then each part lists its entry, with who wrote it, in which role, and when
    assert history["authorId"] == clinic.staff[Role.CONSULTANT].account_id
    assert history["authorRole"] == "CONSULTANT"
    assert LOCAL_TIME.fullmatch(history["recordedAtLocal"]), history["recordedAtLocal"]
    assert history["inForce"] is True and history["amendsId"] is None
    (listed,) = await nodes(clinic, client, "medicalHistory")
    assert listed == history
    (allergy,) = await nodes(clinic, client, "allergies")
    assert (allergy["substance"], allergy["severity"], allergy["authorRole"]) == (
        "lidocaine",
        "MODERATE",
        "NURSE",
    )
    assert [m["name"] for m in await nodes(clinic, client, "medications")] == ["isotretinoin"]
    status = await clinic.api.run(PREGNANCY, clinic.token(Role.NURSE), id=client)
    assert status["client"]["pregnancyStatus"]["lactating"] is True


async def test_an_amendment_leaves_the_original_readable(fresh_clinic: FreshClinic) -> None:
    # Given an allergy recorded by the nurse
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    original = await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    # When she corrects the substance
    corrected = {**ALLERGY, "substance": "articaine"}
    amendment = await entry(
        clinic,
        AMEND_CLIENT_ENTRY,
        Role.NURSE,
        entryId=original["id"],
        reason="the client named the wrong anaesthetic",
        allergy=corrected,
    )
    # Then the correction points at the original, which is listed as it was written
    assert amendment["amendsId"] == original["id"]
    assert amendment["reason"] == "the client named the wrong anaesthetic"
    assert amendment["substance"] == "articaine" and amendment["inForce"] is True
    first, second = await nodes(clinic, client, "allergies")
    assert first == {**original, "amendedById": amendment["id"], "inForce": False}
    assert first["substance"] == "lidocaine"
    assert second == amendment
    # And the original cannot be marked entered in error: its correction is what is in force
    marked = await write(
        clinic, MARK_ENTERED_IN_ERROR, Role.NURSE, entryId=original["id"], reason="wrong"
    )
    assert marked == {
        "__typename": "Conflict",
        "code": "CONFLICT",
        "message": "the entry is already corrected: mark the latest correction",
    }
    assert (await nodes(clinic, client, "allergies"))[0]["enteredInError"] is None
    # ... nor corrected a second time: the chain goes on from the latest
    again = await write(
        clinic,
        AMEND_CLIENT_ENTRY,
        Role.NURSE,
        entryId=original["id"],
        reason="again",
        allergy=ALLERGY,
    )
    assert again["__typename"] == "Conflict", again
    assert await ClientEntry.filter(client_id=_raw(client)).count() == 2


async def test_a_correction_whose_answer_was_lost_is_answered_though_marked_in_error_since(
    fresh_clinic: FreshClinic,
) -> None:
    # Given an allergy corrected with a key, the answer lost before the key was settled
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    original = await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    key = new_key()
    correction = {
        "entryId": original["id"],
        "reason": "the client named the wrong anaesthetic",
        "allergy": {**ALLERGY, "substance": "articaine"},
        "idempotencyKey": key,
    }
    first = await entry(clinic, AMEND_CLIENT_ENTRY, Role.NURSE, **correction)
    nurse = clinic.staff[Role.NURSE].account_id
    assert await IdempotencyKey.filter(account_id=nurse, key=key).update(result_id="") == 1
    # When the original carries a mark (a release before let a corrected entry be marked, and a
    # mark may race the correction), and the nurse's client retries
    await ClientEntryError.create(
        id=new_key(),
        entry_id=decode_id(original["id"], ENTRY_ID_TYPE),
        reason="wrong",
        author_id=clinic.staff[Role.SUPERVISOR].account_id,
        author_role="SUPERVISOR",
        marked_at=datetime.now(UTC),
    )
    again = await write(clinic, AMEND_CLIENT_ENTRY, Role.NURSE, **correction)
    # Then the retry is answered with the correction it made, not refused by the mark
    assert again["__typename"] == "ClientEntryPayload", again
    assert again["entry"]["id"] == first["id"]
    assert await ClientEntry.filter(client_id=_raw(client)).count() == 2


async def test_entered_in_error_hides_nothing_but_marks_it(fresh_clinic: FreshClinic) -> None:
    # Given two medications, one written into the wrong file
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    wrong = await entry(clinic, RECORD_MEDICATION, Role.EXPERT, clientId=client, name="warfarin")
    right = await entry(clinic, RECORD_MEDICATION, Role.EXPERT, clientId=client, name="aspirin")
    # When the supervisor marks the first entered in error
    marked = await entry(
        clinic,
        MARK_ENTERED_IN_ERROR,
        Role.SUPERVISOR,
        entryId=wrong["id"],
        reason="belongs to another client",
    )
    # Then both are still listed; the first is marked and no longer in force
    mark = marked["enteredInError"]
    assert (mark["reason"], mark["authorRole"]) == ("belongs to another client", "SUPERVISOR")
    assert LOCAL_TIME.fullmatch(mark["atLocal"])
    assert await nodes(clinic, client, "medications") == [
        {**wrong, "enteredInError": mark, "inForce": False},
        right,
    ]
    # And an entry in error is not amended, nor marked twice
    amend = await write(
        clinic,
        AMEND_CLIENT_ENTRY,
        Role.SUPERVISOR,
        entryId=wrong["id"],
        reason="fix",
        medication={"name": "heparin"},
    )
    twice = await write(
        clinic, MARK_ENTERED_IN_ERROR, Role.SUPERVISOR, entryId=wrong["id"], reason="again"
    )
    assert (amend["__typename"], twice["__typename"]) == ("Conflict", "Conflict")
    assert await ClientEntry.filter(client_id=_raw(client)).count() == 2


async def test_pregnancy_status_is_the_latest_statement_in_force(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    today = clinic_today()
    earlier = await entry(
        clinic,
        RECORD_PREGNANCY_STATUS,
        Role.CONSULTANT,
        clientId=client,
        pregnant=False,
        lactating=False,
        statedOn=(today - timedelta(days=60)).isoformat(),
    )
    latest = await entry(
        clinic,
        RECORD_PREGNANCY_STATUS,
        Role.NURSE,
        clientId=client,
        pregnant=True,
        lactating=False,
        statedOn=today.isoformat(),
    )
    # A correction of the earlier statement, written last, does not displace the later one
    await entry(
        clinic,
        AMEND_CLIENT_ENTRY,
        Role.CONSULTANT,
        entryId=earlier["id"],
        reason="typo",
        pregnancyStatus={
            "pregnant": False,
            "lactating": True,
            "statedOn": (today - timedelta(days=60)).isoformat(),
        },
    )
    status = await clinic.api.run(PREGNANCY, clinic.token(Role.EXPERT), id=client)
    assert status["client"]["pregnancyStatus"] == latest
    await entry(
        clinic, MARK_ENTERED_IN_ERROR, Role.NURSE, entryId=latest["id"], reason="wrong client"
    )
    status = await clinic.api.run(PREGNANCY, clinic.token(Role.EXPERT), id=client)
    assert status["client"]["pregnancyStatus"]["lactating"] is True


async def test_bad_dates_and_missing_fields_are_typed_field_errors(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client born on 1988-04-12
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    tomorrow = (clinic_today() + timedelta(days=1)).isoformat()
    # When dates fall after today or before the birth, and a topic's own fields are missing
    future = await write(
        clinic,
        RECORD_PREGNANCY_STATUS,
        Role.NURSE,
        clientId=client,
        pregnant=True,
        lactating=False,
        statedOn=tomorrow,
    )
    unborn = await write(
        clinic,
        RECORD_MEDICAL_HISTORY,
        Role.CONSULTANT,
        clientId=client,
        topic="SURGERY",
        description="rhinoplasty",
        treatedOn="1980-01-01",
    )
    delay = await write(
        clinic,
        ADD_SERVICE_CARD_ENTRY,
        Role.FRONT_DESK,
        clientId=client,
        section="CLINIC_DELAY",
        note="kept waiting",
        minutes=0,
        askAboutResults=True,
    )
    # Then each is refused with one problem per field, and nothing is written
    assert future["__typename"] == "ValidationFailed"
    assert [p["field"] for p in future["problems"]] == ["statedOn"]
    assert future["problems"][0]["message"].startswith("in the future")
    assert unborn["problems"] == [
        {"field": "treatment", "message": "required"},
        {"field": "treatedOn", "message": "before the client's birth date"},
    ]
    assert [p["field"] for p in delay["problems"]] == ["minutes", "occurredOn", "askAboutResults"]
    assert await ClientEntry.filter(client_id=_raw(client)).count() == 0


async def test_an_amendment_names_the_part_it_corrects(fresh_clinic: FreshClinic) -> None:
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    original = await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    wrong_part = await write(
        clinic,
        AMEND_CLIENT_ENTRY,
        Role.NURSE,
        entryId=original["id"],
        reason="fix",
        medication={"name": "heparin"},
    )
    bad_field = await write(
        clinic,
        AMEND_CLIENT_ENTRY,
        Role.NURSE,
        entryId=original["id"],
        reason=" ",
        allergy={**ALLERGY, "substance": ""},
    )
    assert wrong_part["problems"] == [
        {"field": "allergy", "message": "give exactly `allergy`: the entry's part"}
    ]
    assert bad_field["problems"] == [
        {"field": "reason", "message": "required"},
        {"field": "allergy.substance", "message": "required"},
    ]
    assert await ClientEntry.filter(client_id=_raw(client)).count() == 1


def _raw(client_global_id: str) -> str:
    from tests.api.audit_support import raw_client

    return raw_client(client_global_id)


PAGED = """
query Paged($id: ID!, $first: Int!, $after: String) {
  client(id: $id) {
    ... on Client {
      medications(first: $first, after: $after) {
        __typename
        ... on MedicationEntryConnection {
          edges { cursor node { name } }
          pageInfo { hasNextPage endCursor }
        }
        ... on ValidationFailed { problems { field message } }
      }
    }
  }
}
"""


async def test_a_part_is_read_page_by_page_in_the_order_written(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    for name in ("first", "second", "third"):
        await entry(clinic, RECORD_MEDICATION, Role.NURSE, clientId=client, name=name)
    token = clinic.token(Role.NURSE)
    names, after, pages = [], None, 0
    while True:
        data = await clinic.api.run(PAGED, token, id=client, first=2, after=after)
        page = data["client"]["medications"]
        names += [edge["node"]["name"] for edge in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert (names, pages) == (["first", "second", "third"], 2)
    bad = await clinic.api.run(PAGED, token, id=client, first=2, after="garbage")
    assert bad["client"]["medications"] == {
        "__typename": "ValidationFailed",
        "problems": [{"field": "after", "message": "not a cursor from this API"}],
    }
