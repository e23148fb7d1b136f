"""Through the real server: a client the supervisor places anew with reassignClient under a rule
that leaves her ownership where it was, a stand-in (OWNER_STAND_IN) serving for her consultant or
a second consultant taking her on for a joint review (JOINT_REVIEW), is followed by her journey as
any placement is: the journey names the consultant who serves her now, who records the
consultation. Her owner, the desk's credits and its log stay as the desk placed her: the
journey's notices undo nothing."""

from __future__ import annotations

from typing import Any

import pytest

from domain.roles import Role
from domain.store.triage_models import RevenueCredit
from domain.store.triage_projection import current_owner
from schema.ids import decode_id
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, eventually
from tests.api.test_desk_emergency import _logged, _placed_with_the_first
from tests.api.test_desk_learns import _board, _sign_in
from tests.api.test_desk_unaccepted import _override
from tests.api.test_triage_api import _desk_clinic

# Each rule, and the credits of her revenue after it, first and second consultant.
RULES = pytest.mark.parametrize(
    ("rule", "credited"),
    [("OWNER_STAND_IN", [(0, 100)]), ("JOINT_REVIEW", [(0, 30), (1, 70)])],
    ids=["stand-in", "joint-review"],
)


@RULES
async def test_the_journey_names_whoever_the_supervisor_placed_her_with(
    api: Api, rule: str, credited: list[tuple[int, int]]
) -> None:
    # Given a first visit the desk gave the first consultant, who owns her since
    clinic, staff, consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    journey = await _placed_with_the_first(api, desk, consultants)
    accounts = [decode_id(c, "StaffMember") for c in consultants]
    second = await _sign_in(api, f"{clinic}-c1", Role.CONSULTANT)
    driver = JourneyDriver(api, {**staff, Role.CONSULTANT: second})

    # When the supervisor places her with the second consultant under the rule
    anew = {
        "journeyId": journey,
        "consultantId": consultants[1],
        "rule": rule,
        "reason": f"supervisor: {rule.lower()}",
    }
    await _override(api, "reassignClient", supervisor, **anew)

    # Then her journey names the second consultant, by the desk's hand-over
    def named(j: dict[str, Any]) -> bool:
        return bool(j["consultant"] and j["consultant"]["id"] == consultants[1])

    moved = await eventually(
        lambda: driver.journey(journey), named, timeout=30, what="the journey naming the second"
    )
    assert moved["stage"] == "CONSULTATION", moved
    # And the second consultant records the consultation on it
    consulted = await driver.consult(journey)
    assert consulted["consultant"]["id"] == consultants[1]

    # And the desk's log holds the supervisor's placement alone: the journey's notices undid
    # nothing, nobody waits, nothing was handed on
    [placed] = await _logged(clinic, ["REASSIGNED"], 1)
    assert placed.actor_id != "triage-desk"
    assert (placed.details["from_consultant_id"], placed.consultant_id) == tuple(accounts[:2])
    board = await _board(api, desk, clinic)
    assert (board["pending"], board["alerts"]) == ([], [])
    assert await _logged(clinic, ["TIMED_OUT", "ACCEPTED"], 0) == []
    # And her revenue is credited as the rule says, her ownership left with the first consultant
    credits = await RevenueCredit.filter(clinic_id=clinic, entry_seq=placed.seq).order_by("id")
    assert [(c.consultant_id, c.percent, c.rule) for c in credits] == [
        (accounts[n], percent, rule) for n, percent in credited
    ]
    assert placed.client_id is not None
    assert await current_owner(placed.client_id) == accounts[0]
