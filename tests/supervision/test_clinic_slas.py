"""A clinic's supervisor sets its own stage SLAs; journeys started afterwards use them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from tests.api.flow import JourneyDriver
from tests.api.harness import eventually
from tests.supervision.test_cockpit import _stuck

SET_SLA = """
mutation Set($input: SetStageSlaInput!) {
  setStageSla(input: $input) {
    __typename
    ... on StageSlasPayload { slas { stage visitCategory seconds isDefault } }
    ... on UserError { code message }
  }
}
"""

LIST_SLAS = """
query { stageSlas { ... on StageSlasPayload { slas { stage visitCategory seconds isDefault } } } }
"""


async def test_a_shorter_payment_sla_for_first_visits_applies_to_new_journeys(
    cockpit: JourneyDriver, skipping_env: WorkflowEnvironment
) -> None:
    supervisor = cockpit.token(Role.SUPERVISOR)
    sla = {"stage": "PAYMENT", "visitCategory": "FIRST_VISIT", "seconds": 6 * 3600}
    # Only a supervisor may change it
    refused = await cockpit.api.run(SET_SLA, cockpit.token(Role.CONSULTANT), input=sla)
    assert refused["setStageSla"]["__typename"] == "NotAuthorized"
    bad = await cockpit.api.run(SET_SLA, supervisor, input={**sla, "seconds": 5})
    assert bad["setStageSla"]["__typename"] == "ValidationFailed"

    # Given the clinic allows first visits six hours at payment (the default is two days)
    result = (await cockpit.api.run(SET_SLA, supervisor, input=sla))["setStageSla"]
    assert {
        "stage": "PAYMENT",
        "visitCategory": "FIRST_VISIT",
        "seconds": 21600,
        "isDefault": False,
    } in result["slas"]
    try:
        # When a new journey waits at payment for seven hours
        journey = await cockpit.drive_to("PAYMENT")
        await skipping_env.sleep(timedelta(hours=7))

        # Then it is stuck for the clinic's reason
        stuck = await eventually(
            lambda: _stuck(cockpit, stage="PAYMENT"),
            lambda found: any(j["journey"]["id"] == journey["id"] for j in found),
            timeout=20,
            what="journey stuck at payment",
        )
        (mine,) = [j for j in stuck if j["journey"]["id"] == journey["id"]]
        assert mine["reason"] == "PAYMENT for more than 6 hour(s)"
    finally:
        reset = {"stage": "PAYMENT", "visitCategory": "FIRST_VISIT", "seconds": None}
        await cockpit.api.run(SET_SLA, supervisor, input=reset)


async def test_two_stages_set_at_once_are_both_kept(cockpit: JourneyDriver) -> None:
    supervisor = cockpit.token(Role.SUPERVISOR)
    changes = [
        {"stage": "CONSENT", "visitCategory": "FIRST_VISIT", "seconds": 3 * 3600},
        {"stage": "TREATMENT", "visitCategory": "FIRST_VISIT", "seconds": 5 * 3600},
    ]
    try:
        # When two supervisors each set a stage's SLA at the same moment
        await asyncio.gather(*(cockpit.api.run(SET_SLA, supervisor, input=c) for c in changes))
        # Then the clinic keeps both (each wrote the whole map it had read: one was lost)
        listed = (await cockpit.api.run(LIST_SLAS, supervisor))["stageSlas"]["slas"]
        kept = {(s["stage"], s["seconds"]) for s in listed if not s["isDefault"]}
        assert {("CONSENT", 3 * 3600), ("TREATMENT", 5 * 3600)} <= kept
    finally:
        for change in changes:
            await cockpit.api.run(SET_SLA, supervisor, input={**change, "seconds": None})
