"""The ward's records after an operation that the handbooks ask for (seed 003's surgical flow),
through the real server and GraphQL client: the observation after the operation (vital signs
with their values, when, by whom; flat and nothing by mouth for 6 hours after a general
anaesthesia) and the ward round on the next day (what was found, what is next). Both are
entries of the client's file, in her copy; each refusal leaves nothing written."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.client_file.kinds import EntryKind
from domain.roles import Role
from domain.store.client_file import ClientEntry
from schema.ids import decode_id
from tests.api.flow import JourneyDriver
from tests.api.harness import TEST_CLINIC_ZONE, Api
from tests.api.permission_probe import post
from tests.api.post_op_support import (
    AMEND,
    RECORD_OBSERVATION,
    RECORD_WARD_ROUND,
    VITALS,
    WARD,
    operate,
    operated_yesterday,
    surgery_under_way,
    surgical_type,
    yesterday_evening,
)
from tests.api.procedure_support import run

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
EXPORT = (
    "mutation E($input: ExportClientFileInput!) { exportClientFile(input: $input) { __typename "
    "... on ClientFileExportPayload { file } } }"
)
CLIENT_OF = "query J($id: ID!) { journey(id: $id) { ... on Journey { client { id } } } }"


def _observation(jid: str, at: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "journeyId": jid,
        "observedAt": at.isoformat(),
        "anaesthesia": "GENERAL",
        "vitals": VITALS,
        "lyingFlat": True,
        "nilByMouth": True,
        "note": "dressing dry, no nausea",
        "idempotencyKey": str(uuid.uuid4()),
        **fields,
    }


def _round(jid: str, at: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "journeyId": jid,
        "visitedAt": at.isoformat(),
        "recoveringAsExpected": True,
        "findings": "swelling as expected, wound clean",
        "nextStep": "discharge; dressing on day 3",
        "idempotencyKey": str(uuid.uuid4()),
        **fields,
    }


async def _ward_entries() -> int:
    kinds = (EntryKind.POST_OP_OBSERVATION.value, EntryKind.WARD_ROUND.value)
    return await ClientEntry.filter(kind__in=kinds).count()


def _problems(result: dict[str, Any]) -> list[str]:
    assert result["__typename"] == "ValidationFailed", result
    return [p["field"] for p in result["problems"]]


async def test_the_ward_observes_a_surgery_once_it_is_operated(
    api: Api,
    fresh_clinic: FreshClinic,
) -> None:
    # Given a surgery journey whose operation is under way
    clinic = await fresh_clinic()
    jid = await surgery_under_way(clinic)
    before = await _ward_entries()
    # When the nurse records an observation before the operation ended, Then it is refused
    early = await run(
        clinic, RECORD_OBSERVATION, Role.NURSE, input=_observation(jid, datetime.now(UTC))
    )
    assert _problems(early) == ["journeyId"]
    assert "not done yet" in early["problems"][0]["message"]
    # Given the operation done
    await operate(clinic, jid)
    at = datetime.now(UTC)
    # When the desk, a consultant or the cashier records one, Then they may not
    for role in (Role.FRONT_DESK, Role.CONSULTANT, Role.CASHIER):
        refused = await run(clinic, RECORD_OBSERVATION, role, input=_observation(jid, at))
        assert refused["__typename"] == "NotAuthorized", (role, refused)
    # And vital signs no living client shows, or flat and fasting untold within the 6 hours of
    # a general anaesthesia, are refused by field
    wrong = {**VITALS, "systolic": 600, "diastolic": 700}
    bad = await run(
        clinic, RECORD_OBSERVATION, Role.NURSE, input=_observation(jid, at, vitals=wrong)
    )
    assert _problems(bad) == ["vitals.systolic", "vitals.diastolic", "vitals.diastolic"]
    untold = _observation(jid, at, lyingFlat=None, nilByMouth=None)
    assert _problems(await run(clinic, RECORD_OBSERVATION, Role.NURSE, input=untold)) == [
        "lyingFlat",
        "nilByMouth",
    ]
    # And a local anaesthesia is refused: the journey's procedure type is given under a general
    local = _observation(jid, at, anaesthesia="LOCAL")
    refused = await run(clinic, RECORD_OBSERVATION, Role.NURSE, input=local)
    assert refused["problems"] == [
        {"field": "anaesthesia", "message": "GENERAL, as the journey's procedure type is given"}
    ]
    # And a ward round on the day of the operation is not the next day's
    same_day = await run(clinic, RECORD_WARD_ROUND, Role.EXPERT, input=_round(jid, at))
    if datetime.now(TEST_CLINIC_ZONE).date() == at.astimezone(TEST_CLINIC_ZONE).date():
        assert _problems(same_day) == ["visitedAt"]
    assert await _ward_entries() == before
    # When the nurse records her observation, twice with one key, the anaesthesia unsaid
    observation = {k: v for k, v in _observation(jid, at).items() if k != "anaesthesia"}
    first = await run(clinic, RECORD_OBSERVATION, Role.NURSE, input=observation)
    again = await run(clinic, RECORD_OBSERVATION, Role.NURSE, input=observation)
    # Then one entry is written: the journey, when, the values, the observer
    assert first["__typename"] == "ClientEntryPayload", first
    assert again == first
    entry = first["entry"]
    assert entry["journeyId"] == jid
    assert entry["vitals"] == VITALS
    assert entry["anaesthesia"] == "GENERAL"  # the type's
    assert (entry["lyingFlat"], entry["nilByMouth"]) == (True, True)
    assert entry["author"]["id"] == clinic.staff[Role.NURSE].global_id
    assert entry["authorRole"] == "NURSE"
    assert await _ward_entries() == before + 1
    # And the nurse corrects it (her observer's reading of the pulse), the original kept
    corrected = {k: v for k, v in observation.items() if k not in ("journeyId", "idempotencyKey")}
    corrected["vitals"] = {**VITALS, "pulse": 88}
    amended = await run(
        clinic,
        AMEND,
        Role.NURSE,
        input={"entryId": entry["id"], "reason": "pulse misread", "postOpObservation": corrected},
    )
    assert amended["__typename"] == "ClientEntryPayload", amended
    assert amended["entry"]["amendsId"] == entry["id"]
    assert amended["entry"]["journeyId"] == jid
    assert amended["entry"]["vitals"]["pulse"] == 88
    # And the doctor reads both in the client's file; the desk does not
    client = (await run(clinic, CLIENT_OF, Role.SUPERVISOR, id=jid))["client"]["id"]
    seen = await run(clinic, WARD, Role.EXPERT, id=client)
    nodes = [e["node"] for e in seen["postOpObservations"]["edges"]]
    assert [(n["id"], n["inForce"]) for n in nodes] == [
        (entry["id"], False),
        (amended["entry"]["id"], True),
    ]
    desk = await post(api.url, clinic.token(Role.FRONT_DESK), WARD, {"id": client})
    assert desk["data"]["client"]["postOpObservations"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in desk["errors"]] == [
        (["client", "postOpObservations"], "NOT_AUTHORIZED"),
        (["client", "wardRounds"], "NOT_AUTHORIZED"),
    ]
    # And her copy of the file carries them
    copy = await run(clinic, EXPORT, Role.SUPERVISOR, input={"clientId": client})
    kept = copy["file"]["postOpObservations"]
    assert [(o["vitals"]["pulse"], o["inForce"], o["recorded"]["by"]) for o in kept] == [
        (72, False, kept[0]["recorded"]["by"]),
        (88, True, kept[0]["recorded"]["by"]),
    ]
    assert kept[1]["amendsId"] == kept[0]["id"]
    assert kept[0]["journeyId"] == kept[1]["journeyId"] == decode_id(jid, "Journey")
    assert copy["file"]["wardRounds"] == []


async def test_the_doctor_sees_the_client_the_day_after_her_operation(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client operated on yesterday evening
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    jid = await operated_yesterday(client, await surgical_type(clinic), yesterday_evening())
    now = datetime.now(UTC)
    before = await _ward_entries()
    # When the cashier or the follow-up staff record a ward round, Then they may not
    for role in (Role.CASHIER, Role.FOLLOW_UP_STAFF):
        refused = await run(clinic, RECORD_WARD_ROUND, role, input=_round(jid, now))
        assert refused["__typename"] == "NotAuthorized", (role, refused)
    # And a round without its findings and next step, or two days on, is refused by field
    blank = _round(jid, now, findings=" ", nextStep="")
    assert _problems(await run(clinic, RECORD_WARD_ROUND, Role.EXPERT, input=blank)) == [
        "findings",
        "nextStep",
    ]
    later = _round(jid, now + timedelta(days=1))
    assert _problems(await run(clinic, RECORD_WARD_ROUND, Role.EXPERT, input=later)) == [
        "visitedAt"
    ]
    assert await _ward_entries() == before
    # When the doctor records the round, twice with one key
    visit = _round(jid, now)
    first = await run(clinic, RECORD_WARD_ROUND, Role.EXPERT, input=visit)
    again = await run(clinic, RECORD_WARD_ROUND, Role.EXPERT, input=visit)
    # Then one entry: when, what was found, what is next, by the doctor
    assert first["__typename"] == "ClientEntryPayload", first
    assert again == first
    entry = first["entry"]
    assert entry["journeyId"] == jid
    assert datetime.fromisoformat(entry["visitedAt"]) == now
    assert (entry["findings"], entry["nextStep"]) == (visit["findings"], visit["nextStep"])
    assert entry["recoveringAsExpected"] is True
    assert entry["author"]["id"] == clinic.staff[Role.EXPERT].global_id
    # And the doctor's assistant (a nurse's account) may go too, up to 4 rounds a journey
    for _ in range(3):
        done = await run(clinic, RECORD_WARD_ROUND, Role.NURSE, input=_round(jid, now))
        assert done["__typename"] == "ClientEntryPayload", done
    full = await run(clinic, RECORD_WARD_ROUND, Role.NURSE, input=_round(jid, now))
    assert _problems(full) == ["journeyId"]
    assert await _ward_entries() == before + 4
    # And an observation more than 24 hours after the operation is the round's, not the ward's
    late = _observation(jid, now, lyingFlat=None, nilByMouth=None)
    if now > yesterday_evening() + timedelta(hours=24):
        assert _problems(await run(clinic, RECORD_OBSERVATION, Role.NURSE, input=late)) == [
            "observedAt"
        ]
    seen = await run(clinic, WARD, Role.SUPERVISOR, id=client)
    assert len(seen["wardRounds"]["edges"]) == 4


async def test_a_treatment_that_is_no_surgery_has_no_ward_records(
    fresh_clinic: FreshClinic,
) -> None:
    # Given an injectable treatment, done and handed over
    clinic = await fresh_clinic()
    jid = (await clinic.drive_to("FOLLOW_UP"))["id"]
    before = await _ward_entries()
    now = datetime.now(UTC)
    # When the ward records an observation or a round of it, Then both are refused on the journey
    observed = await run(clinic, RECORD_OBSERVATION, Role.NURSE, input=_observation(jid, now))
    assert _problems(observed) == ["journeyId"]
    assert "not a surgery" in observed["problems"][0]["message"]
    visited = await run(clinic, RECORD_WARD_ROUND, Role.EXPERT, input=_round(jid, now))
    assert _problems(visited) == ["journeyId"]
    # And a journey of another clinic is not found
    other = await fresh_clinic()
    unseen = await run(other, RECORD_OBSERVATION, Role.NURSE, input=_observation(jid, now))
    assert unseen["__typename"] == "NotFound", unseen
    assert await _ward_entries() == before
