"""A journey is stuck as its due call shows overdue on the task lists by the clinic's own
allowance past a call's due time (`setAftercarePolicy(overdueAfterHours:)`), not a day past
it: the handover carries the allowance to the journey. Through the real server, with a clinic
whose calls fall due seconds after the handover and are overdue as they fall due."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.models import Journey
from schema.ids import decode_id
from tests.api import aftercare_documents as docs
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import eventually
from tests.api.procedure_support import run
from tests.api.test_first_call_window import STUCK_JOURNEYS

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def _stuck(clinic: JourneyDriver) -> dict[str, Any]:
    stuck = await run(clinic, STUCK_JOURNEYS, Role.SUPERVISOR, clinicId=await clinic_of(clinic))
    assert stuck["__typename"] == "StuckJourneyConnection", stuck
    return {edge["node"]["journey"]["id"]: edge["node"] for edge in stuck["edges"]}


async def _overdue_calls(clinic: JourneyDriver) -> list[str]:
    tasks = await run(clinic, docs.MY_TASKS, Role.FOLLOW_UP_STAFF, overdue=True)
    assert tasks["__typename"] == "FollowUpTaskConnection", tasks
    return [edge["node"]["journeyId"] for edge in tasks["edges"]]


async def test_the_stuck_list_agrees_with_the_overdue_calls_by_the_clinic_s_allowance(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a clinic that counts a call overdue as soon as it falls due
    clinic = await fresh_clinic()
    policy = {
        "followUpAssignee": "FOLLOW_UP_STAFF",
        "overdueAfterHours": 0,
        "warrantyDays": 365,
        "idempotencyKey": new_key(),
    }
    answer = await run(clinic, docs.SET_POLICY, Role.SUPERVISOR, input=policy)
    assert answer["policy"]["overdueAfterHours"] == 0, answer
    # When a journey is handed over and its first call falls due
    journey = await clinic.drive_to("FOLLOW_UP")
    jid = journey["id"]
    raw = decode_id(jid, "Journey")
    assert raw is not None
    await clinic.wait_until_due(jid, 1)
    # Then the call is overdue on the callers' list, and the journey is on the supervisor's
    # stuck list for it (a day's allowance kept it off for a day)
    assert await eventually(
        lambda: _overdue_calls(clinic), lambda ids: jid in ids, timeout=30, what="overdue call"
    )
    stuck = await eventually(
        lambda: _stuck(clinic), lambda nodes: jid in nodes, timeout=30, what="stuck journey"
    )
    assert stuck[jid]["reason"] == "follow-up 2s overdue"
    # And the journey keeps the allowance it was handed over with: a number, nothing personal
    row = await Journey.get(id=raw)
    assert row.facts["follow_up_allowance_seconds"] == 0
