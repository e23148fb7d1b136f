"""Her copy names the team a complex procedure started with (seed 004 三.4: the doctor who leads
it, "有相应的助手和护士配合"): the start's record and `history` kept the assistant and the nurse,
and her copy left them out. Now its `preTreatmentChecks` give each by account id and by the name
they had when the treatment started, and the Bundle's Procedure of the treatment names them as
its performers, each with their function. A review found the doctor left out of them: the
doctor who started it, who leads it, is its first performer, with no function, before the
assistant, whom a reader took for the doctor who performed it; a treatment whose start named no
team has the performer its record names."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from domain.client_file.fhir_check import bundle_problems
from domain.roles import Role
from schema.ids import decode_id
from tests.api.client_file_support import export_file
from tests.api.complex_support import complex_ready_to_start, title
from tests.api.flow import JourneyDriver, new_key
from tests.api.money_support import CLIENT_OF
from tests.api.procedure_support import ERRORS, run

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
START = (
    "mutation Start($input: StartTreatmentInput!) { startTreatment(input: $input) { __typename "
    + ERRORS
    + " } }"
)
RENAME = (
    "mutation R($input: UpdateStaffAccountInput!) { updateStaffAccount(input: $input) { "
    "__typename } }"
)
NAME = "query { me { ... on StaffMember { displayName } } }"


def _performers(bundle: dict[str, Any]) -> list[Any]:
    (procedure,) = [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "Procedure"
    ]
    return procedure.get("performer", [])  # type: ignore[no-any-return]


async def _treated_complex(clinic: JourneyDriver) -> tuple[str, str]:
    """A complex treatment a senior doctor started with an assistant and the clinic's nurse, and
    completed: (journey, the assistant's global id)."""
    team = await complex_ready_to_start(clinic)
    await title(clinic, Role.SUPERVISOR, clinic.staff[Role.EXPERT].global_id, True, new_key())
    started = await run(clinic, START, Role.EXPERT, input={**team, "idempotencyKey": new_key()})
    assert started["__typename"] == "JourneyPayload", started
    await clinic.complete_treatment(team["journeyId"])
    return team["journeyId"], team["assistantId"]


async def test_her_copy_names_the_assistant_and_the_nurse_a_complex_treatment_started_with(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a complex treatment started with an assistant and a nurse, and completed, and the
    # assistant renamed by the administrator since
    clinic = await fresh_clinic()
    jid, assistant = await _treated_complex(clinic)
    rename = {"staffId": assistant, "displayName": "Dr Assisting Renamed"}
    renamed = await run(clinic, RENAME, Role.ADMIN, input={**rename, "idempotencyKey": new_key()})
    assert renamed["__typename"] == "StaffAccountPayload", renamed
    nurse = clinic.staff[Role.NURSE]
    nurse_name = (await run(clinic, NAME, Role.NURSE))["displayName"]
    data = await clinic.api.run(CLIENT_OF, clinic.token(Role.CASHIER), id=jid)
    # When a supervisor exports her file
    key = new_key()
    result = await export_file(clinic, data["journey"]["client"]["id"], key)
    # Then the start's record names each, by account id and as named when the treatment started
    (start,) = result["file"]["preTreatmentChecks"]
    assistant_id = decode_id(assistant, "StaffMember")
    assert start["assistant"] == {"id": assistant_id, "name": "Assisting Doctor"}, start
    assert start["nurse"] == {"id": nurse.account_id, "name": nurse_name}, start
    # And the Bundle, valid, gives them as the treatment's performers with their function,
    # after the doctor who started it and leads it (the record's performer, the team's nurse,
    # listed as the nurse)
    assert bundle_problems(result["fhirBundle"]) == []
    lead = clinic.staff[Role.EXPERT].account_id
    assert _performers(result["fhirBundle"]) == [
        {"actor": {"identifier": {"value": lead}, "display": lead}},
        {
            "function": {"text": "assistant"},
            "actor": {"identifier": {"value": assistant_id}, "display": "Assisting Doctor"},
        },
        {
            "function": {"text": "nurse"},
            "actor": {"identifier": {"value": nurse.account_id}, "display": nurse_name},
        },
    ]
    # And a retry with the key is the same copy byte for byte
    retry = await export_file(clinic, data["journey"]["client"]["id"], key)
    assert json.dumps(retry) == json.dumps(result)


async def test_a_start_naming_no_team_names_none_in_her_copy_the_recorded_performer_only(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a treatment started and completed with no assistant or nurse named
    clinic = await fresh_clinic()
    jid = (await clinic.drive_to("HANDOVER"))["id"]
    data = await clinic.api.run(CLIENT_OF, clinic.token(Role.CASHIER), id=jid)
    # When her file is exported
    result = await export_file(clinic, data["journey"]["client"]["id"], new_key())
    # Then the start's record names neither, and the Procedure's one performer is the one its
    # record names (the nurse who started it leads no team)
    (start,) = result["file"]["preTreatmentChecks"]
    assert (start["assistant"], start["nurse"]) == (None, None), start
    assert bundle_problems(result["fhirBundle"]) == []
    performer = clinic.staff[Role.NURSE].account_id
    assert _performers(result["fhirBundle"]) == [
        {"actor": {"identifier": {"value": performer}, "display": performer}}
    ]
