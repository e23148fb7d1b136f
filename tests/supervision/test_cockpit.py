"""Given a journey left in consent past its SLA, the supervisor sees it stuck, live, and not
any more once it moves; supervisor actions are recorded as events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from tests.api.flow import JourneyDriver
from tests.api.harness import eventually
from tests.api.live import Pushes, reading
from tests.supervision.conftest import CLINIC_ID

STUCK_JOURNEYS = """
query Stuck($clinicId: ID!, $stage: JourneyStage, $olderThan: Int) {
  stuckJourneys(clinicId: $clinicId, stage: $stage, olderThan: $olderThan) {
    __typename
    ... on StuckJourneyConnection {
      edges { node { stage reason reasonCode overdueSeconds journey { id stage } } }
    }
    ... on UserError { code message }
  }
}
"""
STATS = """
query Stats($clinicId: ID!) {
  journeyStats(clinicId: $clinicId) {
    __typename
    ... on JourneyStats { stages { stage active stuck } }
  }
}
"""
BOARD = """
subscription Board($clinicId: ID!) {
  supervisorBoard(clinicId: $clinicId) {
    change
    journey { id stage }
    stuckReasonCode
    stats { stage active stuck }
  }
}
"""
STUCK_ALERTS = """
subscription { myJourneyAlerts { action summary stuckReasonCode journey { id } } }
"""
NUDGE = """
mutation Nudge($input: SupervisorNoteInput!) {
  nudgeJourney(input: $input) {
    __typename
    ... on JourneyPayload { journey { stage history { action actorRole summary } } }
    ... on UserError { code message }
  }
}
"""


async def _stuck(cockpit: JourneyDriver, **filters: Any) -> list[dict[str, Any]]:
    data = await cockpit.api.run(
        STUCK_JOURNEYS, cockpit.token(Role.SUPERVISOR), clinicId=CLINIC_ID, **filters
    )
    result = data["stuckJourneys"]
    assert result["__typename"] == "StuckJourneyConnection", result
    return [edge["node"] for edge in result["edges"]]


async def _drained(pushes: Pushes, into: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`into`, with the pushes received since it was last drained."""
    while pushes.waiting():
        into.append(await pushes.next())
    return into


def _consent_counts(update: dict[str, Any]) -> dict[str, int]:
    (consent,) = [s for s in update["stats"] if s["stage"] == "CONSENT"]
    return {"active": consent["active"], "stuck": consent["stuck"]}


async def test_journey_left_in_consent_is_stuck_live_and_clears_when_it_moves(
    cockpit: JourneyDriver, skipping_env: WorkflowEnvironment
) -> None:
    # Given a journey waiting for consent (default SLA three days) and a supervisor watching
    journey = await cockpit.drive_to("CONSENT")
    jid = journey["id"]
    assert [j for j in await _stuck(cockpit) if j["journey"]["id"] == jid] == []
    updates: list[dict[str, Any]] = []
    alerts: list[dict[str, Any]] = []
    board_watch = cockpit.api.subscription(
        BOARD, cockpit.token(Role.SUPERVISOR), clinicId=CLINIC_ID
    )
    alert_watch = cockpit.api.subscription(STUCK_ALERTS, cockpit.token(Role.CONSULTANT))
    # Each served before time moves (`reading` returns once the feed serves it)
    async with (
        reading(board_watch, "supervisorBoard") as board,
        reading(alert_watch, "myJourneyAlerts") as alert_pushes,
    ):
        # When three days pass with nobody acting
        await skipping_env.sleep(timedelta(days=3, minutes=5))

        # Then the board hears STUCK, and the list shows it with its reason and overdue time
        await eventually(
            lambda: _drained(board, updates),
            lambda seen: any(u["change"] == "STUCK" and u["journey"]["id"] == jid for u in seen),
            timeout=20,
            what="STUCK on the board",
        )
        (stuck,) = [j for j in await _stuck(cockpit, stage="CONSENT") if j["journey"]["id"] == jid]
        assert stuck["reason"] == "CONSENT for more than 3 day(s)"
        assert stuck["reasonCode"] == "STAGE_OVERDUE"
        assert stuck["overdueSeconds"] >= 0
        stuck_update = next(
            u for u in updates if u["change"] == "STUCK" and u["journey"]["id"] == jid
        )
        assert _consent_counts(stuck_update)["stuck"] >= 1
        assert stuck_update["stuckReasonCode"] == "STAGE_OVERDUE"
        # and its consultant is alerted, with the same code
        await eventually(
            lambda: _drained(alert_pushes, alerts),
            lambda seen: any(a["journey"]["id"] == jid for a in seen),
            timeout=20,
            what="the stuck alert",
        )
        (alert,) = [a for a in alerts if a["journey"]["id"] == jid]
        assert (alert["action"], alert["summary"], alert["stuckReasonCode"]) == (
            "mark_stuck",
            "stuck: CONSENT for more than 3 day(s)",
            "STAGE_OVERDUE",
        )

        # When the supervisor nudges, the event is recorded and the journey stays stuck
        nudged = await cockpit.act(
            NUDGE, Role.SUPERVISOR, journeyId=jid, note="Please call the client today."
        )
        assert nudged["__typename"] == "JourneyPayload"
        assert nudged["journey"]["history"][-1]["action"] == "nudge"
        assert nudged["journey"]["history"][-1]["actorRole"] == "SUPERVISOR"

        # When the consent is signed the journey moves on: UNSTUCK on the board, gone from the list
        moved = await cockpit.sign_consent(jid)
        assert moved["stage"] == "PAYMENT"
        await eventually(
            lambda: _drained(board, updates),
            lambda seen: any(u["change"] == "UNSTUCK" and u["journey"]["id"] == jid for u in seen),
            timeout=20,
            what="UNSTUCK on the board",
        )
        (unstuck,) = [u for u in updates if u["change"] == "UNSTUCK" and u["journey"]["id"] == jid]
        assert unstuck["stuckReasonCode"] is None
    assert [j for j in await _stuck(cockpit) if j["journey"]["id"] == jid] == []


async def test_cockpit_refuses_other_clinics_and_strangers(cockpit: JourneyDriver) -> None:
    data = await cockpit.api.run(
        STUCK_JOURNEYS, cockpit.token(Role.SUPERVISOR), clinicId="someone-elses-clinic"
    )
    assert data["stuckJourneys"]["__typename"] == "NotFound"
    data = await cockpit.api.run(STUCK_JOURNEYS, None, clinicId=CLINIC_ID)
    assert data["stuckJourneys"]["__typename"] == "NotAuthorized"
    data = await cockpit.api.run(STATS, cockpit.token(Role.SUPERVISOR), clinicId=CLINIC_ID)
    assert data["journeyStats"]["__typename"] == "JourneyStats"
    stages = {s["stage"] for s in data["journeyStats"]["stages"]}
    assert {"TRIAGE", "CONSENT", "FOLLOW_UP"} <= stages


async def test_only_supervisors_nudge(cockpit: JourneyDriver) -> None:
    journey = await cockpit.start()
    before = await cockpit.journey(journey["id"])
    result = await cockpit.act(NUDGE, Role.CONSULTANT, journeyId=journey["id"], note="hello")
    assert result["__typename"] == "NotAuthorized"
    after = await cockpit.journey(journey["id"])
    assert len(after["history"]) == len(before["history"])


ALERTS = """
subscription { myJourneyAlerts { action summary journey { id } } }
"""


async def test_a_nudge_reaches_the_owning_consultant_live(cockpit: JourneyDriver) -> None:
    # Given a journey owned by the consultant, who listens for alerts
    journey = await cockpit.drive_to("CONSULTATION")
    watch = cockpit.api.subscription(ALERTS, cockpit.token(Role.CONSULTANT))
    async with reading(watch, "myJourneyAlerts") as alerts:
        # When the supervisor nudges it
        nudged = await cockpit.act(
            NUDGE, Role.SUPERVISOR, journeyId=journey["id"], note="Client waiting, please call."
        )
        assert nudged["__typename"] == "JourneyPayload"
        # Then the consultant hears of it
        alert = await alerts.next()
    assert (alert["action"], alert["summary"], alert["journey"]["id"]) == (
        "nudge",
        "nudged by supervisor",
        journey["id"],
    )
