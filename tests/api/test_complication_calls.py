"""A complication the client reports outside the scheduled follow-up calls
(`reportComplicationCall`): between two calls, after the last one, or refused before the
treatment is done.

The suite's follow-ups fall due 2 s and 4 s after handover (tests.api.conftest): right after the
handover no call is due, which is when the leaflet's "call at once" finds the clinic."""

from __future__ import annotations

from typing import Any

from domain.client_file.export import (
    MAX_COMPLICATION_CALLS,
    MAX_COMPLICATION_CALLS_PER_JOURNEY,
    MAX_TREATMENTS,
)
from domain.roles import Role
from domain.store.aftercare import ComplicationReport, FollowUpTask
from domain.store.models import Journey
from schema.ids import decode_id
from tests.api import aftercare_documents as docs
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key

REPORT = f"""
mutation Report($input: ReportComplicationCallInput!) {{
  reportComplicationCall(input: $input) {{
    __typename
    ... on ComplicationCallTaken {{
      reportId reportedAt doctorId journey {{ id stage }} recheckJourney {{ {docs.LINKED} }}
    }}
    ... on ValidationFailed {{ code problems {{ field message }} }}
    ... on UserError {{ code message }}
  }}
}}
"""
NOTES = """
query Notes { myTasks { ... on FollowUpTaskConnection {
  edges { node {
    id kind journeyId followUpId escalated assigneeId linkedJourneyId complicationNote
  } }
} } }
"""
CLOSE_FOLLOW_UPS = documents.action("closeFollowUps", "CloseJourneyInput")


async def _report(driver: JourneyDriver, role: Role, **input: Any) -> dict[str, Any]:
    data = await driver.api.run(REPORT, driver.token(role), input=input)
    return data["reportComplicationCall"]  # type: ignore[no-any-return]


async def _rechecks(journey_id: str | None) -> int:
    """The recheck journeys of the journey's client."""
    client_id = (await Journey.get(id=journey_id)).client_id
    return await Journey.filter(client_id=client_id, visit_category="RECHECK").count()


async def _doctor_tasks(driver: JourneyDriver, journey_id: str) -> list[dict[str, Any]]:
    data = await driver.api.run(NOTES, driver.token(Role.EXPERT))
    nodes = [edge["node"] for edge in data["myTasks"]["edges"]]
    return [node for node in nodes if node["journeyId"] == journey_id]


async def test_a_client_calling_between_the_calls_reaches_the_doctor_and_a_recheck(
    driver: JourneyDriver,
) -> None:
    # Given a treated client whose first call is not due yet
    journey = await driver.drive_to("FOLLOW_UP")
    jid = journey["id"]
    assert [f["status"] for f in journey["followUps"]].count("DUE") == 0
    # When they call the desk about a complication
    report = {
        "journeyId": jid,
        "note": "lip blanching and pain since noon",
        "idempotencyKey": new_key(),
    }
    taken = await _report(driver, Role.FRONT_DESK, **report)
    # Then it is recorded, the journey stays as it was, and a recheck journey opens
    assert taken["__typename"] == "ComplicationCallTaken", taken
    assert taken["journey"] == {"id": jid, "stage": "FOLLOW_UP"}
    recheck = taken["recheckJourney"]
    assert (recheck["stage"], recheck["visitCategory"], recheck["linkedJourneyId"]) == (
        "RECEPTION",
        "RECHECK",
        jid,
    )
    assert recheck["consultant"]["id"] == driver.staff[Role.CONSULTANT].global_id
    expert = driver.staff[Role.EXPERT].account_id
    assert taken["doctorId"] == expert
    # And the treating doctor has it on their list at once, with what the client said
    (task,) = await _doctor_tasks(driver, jid)
    assert (task["kind"], task["followUpId"], task["escalated"]) == ("COMPLICATION", None, True)
    assert task["assigneeId"] == expert and task["linkedJourneyId"] == recheck["id"]
    assert task["complicationNote"] == "lip blanching and pain since noon"
    # A retry answers the first report; the same key with another note is a Conflict
    again = await _report(driver, Role.FRONT_DESK, **report)
    assert again == taken
    clash = await _report(driver, Role.FRONT_DESK, **{**report, "note": "something else"})
    assert clash["code"] == "CONFLICT", clash
    raw = decode_id(jid, "Journey")
    assert await FollowUpTask.filter(journey_id=raw, kind="COMPLICATION").count() == 1
    assert await _rechecks(raw) == 1
    # A cashier takes no clinical report
    refused = await _report(driver, Role.CASHIER, journeyId=jid, note="x", idempotencyKey=new_key())
    assert refused["__typename"] == "NotAuthorized", refused


async def test_a_complication_after_the_last_call_is_still_taken(driver: JourneyDriver) -> None:
    # Given a journey whose calls are over
    journey = await driver.drive_to("FOLLOW_UP")
    jid = journey["id"]
    closed = await driver.ok(CLOSE_FOLLOW_UPS, Role.SUPERVISOR, journeyId=jid, reason="done")
    assert closed["stage"] == "COMPLETED"
    # When the client calls months later
    taken = await _report(
        driver,
        Role.NURSE,
        journeyId=jid,
        note="a lump where the filler went",
        idempotencyKey=new_key(),
    )
    # Then the doctor and a recheck hear of it, the journey stays completed
    assert taken["__typename"] == "ComplicationCallTaken", taken
    assert taken["journey"]["stage"] == "COMPLETED"
    assert taken["recheckJourney"]["linkedJourneyId"] == jid
    (task,) = await _doctor_tasks(driver, jid)
    assert task["complicationNote"] == "a lump where the filler went"


async def test_before_the_treatment_is_done_nothing_is_written(driver: JourneyDriver) -> None:
    journey = await driver.drive_to("PAYMENT")
    jid = journey["id"]
    refused = await _report(
        driver, Role.FRONT_DESK, journeyId=jid, note="headache", idempotencyKey=new_key()
    )
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["journeyId"]
    raw = decode_id(jid, "Journey")
    assert await FollowUpTask.filter(journey_id=raw).count() == 0
    assert await _rechecks(raw) == 0
    after = await driver.journey(jid)
    assert after["stage"] == "PAYMENT"
    assert [e["seq"] for e in after["history"]] == [e["seq"] for e in journey["history"]]


async def test_a_recheck_booked_at_reception_that_serves_a_call_settles_its_task(
    driver: JourneyDriver,
) -> None:
    # Given a client whose treatment's calls are over, booked in at reception for a recheck
    client = await driver.register_client()
    journey = await driver.drive_to("FOLLOW_UP", await driver.start(client))
    jid = journey["id"]
    await driver.ok(CLOSE_FOLLOW_UPS, Role.SUPERVISOR, journeyId=jid, reason="done")
    visit = await driver.start(client, recheck=True, checkedIn=False, idempotencyKey=new_key())
    assert visit["visitCategory"] == "RECHECK"
    # When she calls in with a complication, the recheck she has coming serves it
    taken = await _report(
        driver, Role.FRONT_DESK, journeyId=jid, note="a hard lump", idempotencyKey=new_key()
    )
    assert taken["recheckJourney"]["id"] == visit["id"], taken
    (task,) = await _doctor_tasks(driver, jid)
    assert task["linkedJourneyId"] == visit["id"]
    # Then that recheck ending (she did not come) settles the doctor's task, as a linked one does
    await driver.ok(documents.CANCEL_JOURNEY, Role.FRONT_DESK, journeyId=visit["id"], reason="no")
    assert await _doctor_tasks(driver, jid) == []
    assert (await FollowUpTask.get(id=task["id"])).status == "CLOSED"


DESCRIBED = """
query Described {
  kinds: __type(name: "TaskKind") { enumValues { name description } }
  task: __type(name: "FollowUpTask") { fields { name description } }
}
"""


async def test_the_task_s_descriptions_name_the_called_in_complication(
    driver: JourneyDriver,
) -> None:
    """An IDE shows the SPA these: a called-in complication is a COMPLICATION task with no
    follow-up (test above), which they said was only ever reported on a call."""
    data = await driver.api.run(DESCRIBED, driver.token(Role.EXPERT))
    kinds = {v["name"]: v["description"] for v in data["kinds"]["enumValues"]}
    fields = {f["name"]: f["description"] for f in data["task"]["fields"]}
    assert "reportComplicationCall" in kinds["COMPLICATION"], kinds["COMPLICATION"]
    assert "reportComplicationCall" in fields["followUpId"], fields["followUpId"]
    assert "null" in fields["purpose"], fields["purpose"]


async def test_a_journey_takes_a_bounded_number_of_calls_so_her_copy_stays_exportable(
    driver: JourneyDriver,
) -> None:
    # The bound of one journey's calls, times the treatments her copy carries, is within the
    # copy's bound of calls: no one filing calls can make her copy refused
    assert MAX_COMPLICATION_CALLS_PER_JOURNEY * MAX_TREATMENTS <= MAX_COMPLICATION_CALLS
    # Given a treated journey with as many calls as it takes
    journey = await driver.drive_to("FOLLOW_UP")
    jid = journey["id"]
    keys = [new_key() for _ in range(MAX_COMPLICATION_CALLS_PER_JOURNEY)]
    taken = [
        await _report(driver, Role.FRONT_DESK, journeyId=jid, note=f"call {n}", idempotencyKey=k)
        for n, k in enumerate(keys)
    ]
    assert {t["__typename"] for t in taken} == {"ComplicationCallTaken"}, taken
    # When one more is filed
    refused = await _report(
        driver, Role.FRONT_DESK, journeyId=jid, note="once more", idempotencyKey=new_key()
    )
    # Then it is refused, naming the bound, and nothing is written
    assert refused["__typename"] == "ValidationFailed", refused
    (problem,) = refused["problems"]
    assert problem["field"] == "journeyId"
    assert f"{MAX_COMPLICATION_CALLS_PER_JOURNEY} complication calls" in problem["message"]
    raw = decode_id(jid, "Journey")
    assert await ComplicationReport.filter(journey_id=raw).count() == len(keys)
    # And a retry of the last one taken is still answered as the first time
    again = await _report(
        driver,
        Role.FRONT_DESK,
        journeyId=jid,
        note=f"call {len(keys) - 1}",
        idempotencyKey=keys[-1],
    )
    assert (again["__typename"], again["reportId"]) == (
        "ComplicationCallTaken",
        taken[-1]["reportId"],
    )
