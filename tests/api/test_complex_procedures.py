"""Seed 004 三.4: "对于复杂的医疗美容项目,应由具备高级职称的医生主持,并有相应的助手和护士配合": a
complex procedure is led by a doctor holding a senior professional title, with an assistant and
a nurse (each test failed on the code before the rule):
- a procedure type version is marked complex by the supervisor who publishes it;
- a doctor's senior title is kept on the account, set by an administrator or a supervisor;
- the start of a complex treatment is refused to a doctor without one, and names its team;
- the journey's `availableActions` refuses START_TREATMENT to whom `startTreatment` refuses it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.audit_models import AuditEntry
from domain.store.models import StaffAccount
from tests.api.complex_support import complex_ready_to_start, ready_to_start, title
from tests.api.flow import JourneyDriver, assert_unchanged, new_key
from tests.api.procedure_support import ERRORS, run, set_type, type_input

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
KINDS = "query K($typeKey: String) { procedureTypes(typeKey: $typeKey) { version complex } }"
ME = "query { me { ... on StaffMember { id seniorTitle } } }"
OFFERED = (
    "query O($id: ID!) { journey(id: $id) { ... on Journey { "
    "availableActions { action allowed reason } } } }"
)
START = (
    "mutation Start($input: StartTreatmentInput!) { startTreatment(input: $input) { __typename "
    "... on ChecklistIncomplete { openItems } ... on JourneyPayload { journey { stage "
    "history { action details } } } " + ERRORS + " } }"
)


async def test_a_type_version_is_marked_complex_and_one_published_without_reads_as_not(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    type_key = f"thread-lift-{uuid.uuid4().hex[:6]}"
    # Given a type published without the mark, then a version of it marked complex
    await set_type(clinic, type_input(type_key))
    await set_type(clinic, type_input(type_key, complex=True))
    # When its versions are read, Then the newer one is complex, the first not
    versions = await run(clinic, KINDS, Role.NURSE, typeKey=type_key)
    assert versions == [{"version": 2, "complex": True}, {"version": 1, "complex": False}]


async def test_a_senior_title_is_set_once_by_a_supervisor_or_an_administrator_audited(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    other = await fresh_clinic()
    doctor = clinic.staff[Role.EXPERT]
    key = new_key()
    # When the supervisor gives the doctor a senior title, and retries with the same key
    first = await title(clinic, Role.SUPERVISOR, doctor.global_id, True, key)
    again = await title(clinic, Role.SUPERVISOR, doctor.global_id, True, key)
    # Then both answer the doctor with it, and the doctor reads it on their own account
    assert (
        first
        == again
        == {
            "__typename": "SeniorTitlePayload",
            "staff": {"id": doctor.global_id, "role": "EXPERT", "seniorTitle": True},
        }
    )
    assert (await run(clinic, ME, Role.EXPERT))["seniorTitle"] is True
    # And the change is one entry in the clinic's audit chain, the doctor's account its subject
    entries = await AuditEntry.filter(client_id=f"staff:{doctor.account_id}").values_list(
        "action", "actor_id", "actor_role"
    )
    supervisor = clinic.staff[Role.SUPERVISOR].account_id
    assert entries == [("setSeniorTitle", supervisor, "SUPERVISOR")]
    # And the same key for another change is a Conflict, nothing changed
    conflict = await title(clinic, Role.SUPERVISOR, doctor.global_id, False, key)
    assert conflict["__typename"] == "Conflict", conflict
    assert (await StaffAccount.get(id=doctor.account_id)).senior_title is True

    # When the administrator takes it away, Then it is gone
    taken = await title(clinic, Role.ADMIN, doctor.global_id, False, new_key())
    assert taken["staff"]["seniorTitle"] is False, taken

    # And a nurse is refused the title (a doctor's), on the field, nothing changed
    nurse = clinic.staff[Role.NURSE]
    refused = await title(clinic, Role.SUPERVISOR, nurse.global_id, True, new_key())
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {"field": "seniorTitle", "message": "held by a doctor (EXPERT) only"}
    ]
    # And another clinic's doctor is not found by this clinic's supervisor
    theirs = other.staff[Role.EXPERT].global_id
    missing = await title(clinic, Role.SUPERVISOR, theirs, True, new_key())
    assert missing["__typename"] == "NotFound", missing
    # And a doctor cannot give themself one
    own = await title(clinic, Role.EXPERT, doctor.global_id, True, new_key())
    assert own["__typename"] == "NotAuthorized", own
    for account in (nurse.account_id, other.staff[Role.EXPERT].account_id, doctor.account_id):
        assert (await StaffAccount.get(id=account)).senior_title is False


async def test_a_complex_treatment_starts_only_under_a_senior_doctor_with_assistant_and_nurse(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    team = await complex_ready_to_start(clinic)
    jid, assistant, nurse = team["journeyId"], team["assistantId"], team["nurseId"]
    before = await clinic.journey(jid)

    # When a doctor without a senior title starts it, with the team named
    refused = await run(clinic, START, Role.EXPERT, input={**team, "idempotencyKey": new_key()})
    # Then it is refused naming the rule, and the journey is as it was
    assert refused["__typename"] == "SeniorTitleRequired", refused
    assert refused["code"] == "SENIOR_TITLE_REQUIRED"
    assert "senior professional title" in refused["message"]
    await assert_unchanged(clinic, before)
    # And a nurse may not start it either: the senior doctor leads it
    by_nurse = await run(clinic, START, Role.NURSE, input={**team, "idempotencyKey": new_key()})
    assert by_nurse["__typename"] == "SeniorTitleRequired", by_nurse
    await assert_unchanged(clinic, before)

    # Given the doctor holds a senior title
    doctor = clinic.staff[Role.EXPERT].global_id
    titled = await title(clinic, Role.SUPERVISOR, doctor, True, new_key())
    assert titled["__typename"] == "SeniorTitlePayload", titled
    # When they start it without an assistant and a nurse, Then each is a problem on its field
    bare = await run(clinic, START, Role.EXPERT, input={"journeyId": jid})
    assert bare["__typename"] == "ValidationFailed", bare
    assert bare["problems"] == [
        {
            "field": "assistantId",
            "message": "a complex procedure needs an assistant: an "
            "active doctor (EXPERT) of this clinic, not the leading doctor",
        },
        {
            "field": "nurseId",
            "message": "a complex procedure needs a nurse: an active nurse of this clinic",
        },
    ]
    # And with the roles swapped, or themself as the assistant, too
    swapped = {"journeyId": jid, "assistantId": nurse, "nurseId": assistant}
    wrong = await run(clinic, START, Role.EXPERT, input=swapped)
    assert [p["field"] for p in wrong["problems"]] == ["assistantId", "nurseId"], wrong
    themself = {**team, "assistantId": doctor}
    wrong = await run(clinic, START, Role.EXPERT, input=themself)
    assert [p["field"] for p in wrong["problems"]] == ["assistantId"], wrong
    await assert_unchanged(clinic, before)

    # When they start it with the team, Then it starts, the team in its record
    key = new_key()
    started = await run(clinic, START, Role.EXPERT, input={**team, "idempotencyKey": key})
    assert started["__typename"] == "JourneyPayload", started
    event = started["journey"]["history"][-1]
    assert event["action"] == "start_treatment", event
    details = event["details"]
    assert (details["assistant_id"], details["nurse_id"]) == (assistant, nurse), details
    # And its retry answers the same, though the title is taken away since
    await title(clinic, Role.SUPERVISOR, doctor, False, new_key())
    again = await run(clinic, START, Role.EXPERT, input={**team, "idempotencyKey": key})
    assert again["__typename"] == "JourneyPayload", again


async def _start_offered(clinic: JourneyDriver, role: Role, jid: str) -> dict[str, Any]:
    data = await clinic.api.run(OFFERED, clinic.token(role), id=jid)
    (offer,) = [a for a in data["journey"]["availableActions"] if a["action"] == "START_TREATMENT"]
    return offer  # type: ignore[no-any-return]


async def test_a_complex_treatment_is_offered_only_to_whom_its_start_is_taken_from(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a complex treatment ready to start, and a doctor without a senior title
    clinic = await fresh_clinic()
    team = await complex_ready_to_start(clinic)
    jid = team["journeyId"]
    # When the doctor and the nurse read what they may do
    offered = {role: await _start_offered(clinic, role, jid) for role in (Role.EXPERT, Role.NURSE)}
    # Then START_TREATMENT is refused to each, with the reason their start would be refused with
    for role, offer in offered.items():
        refused = await run(clinic, START, role, input={**team, "idempotencyKey": new_key()})
        assert refused["__typename"] == "SeniorTitleRequired", refused
        assert offer == {
            "action": "START_TREATMENT",
            "allowed": False,
            "reason": refused["message"],
        }, (role, offer)
    assert "holds no senior professional title" in offered[Role.EXPERT]["reason"]
    assert "not by a nurse" in offered[Role.NURSE]["reason"]
    # And once the doctor holds a title it is offered to them, still not to the nurse, and
    # their start is taken
    doctor = clinic.staff[Role.EXPERT].global_id
    await title(clinic, Role.SUPERVISOR, doctor, True, new_key())
    assert (await _start_offered(clinic, Role.EXPERT, jid))["allowed"] is True
    assert (await _start_offered(clinic, Role.NURSE, jid))["allowed"] is False
    started = await run(clinic, START, Role.EXPERT, input={**team, "idempotencyKey": new_key()})
    assert started["__typename"] == "JourneyPayload", started


async def test_a_treatment_not_complex_starts_as_before(fresh_clinic: FreshClinic) -> None:
    clinic = await fresh_clinic()
    type_key = f"filler-{uuid.uuid4().hex[:6]}"
    await set_type(clinic, type_input(type_key))
    jid = await ready_to_start(clinic, type_key)
    assert (await _start_offered(clinic, Role.NURSE, jid))["allowed"] is True
    # When a nurse starts it with no team named, Then it starts
    started = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert started["journey"]["stage"] == "TREATMENT", started
