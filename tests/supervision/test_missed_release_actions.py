"""A journey that missed its desk's day's-end release still names the consultant at
CONSULTATION, yet `assignConsultant` (and `autoAssign`, `placeVip`) sends the release first and
places the client: `availableActions` and a refusal's `allowedActions` offer the assignment to
the desk and supervisors who may make it, and a list of journeys asks for it in one batch."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from schema.ids import decode_id
from server.seed import DEMO_PASSWORD
from tests.api import documents
from tests.api.harness import Api
from tests.api.test_triage_api import ASSIGN_BY_DESK, AUTO_ASSIGN, _journey_at_triage
from tests.sql_statements import statements_naming
from tests.supervision.missed_release import JOURNEY, MissedRelease
from tests.supervision.test_desk_day_end_release import ACCEPT

ACTIONS = """
query J($id: ID!) {
  journey(id: $id) { ... on Journey { stage availableActions { action allowed reason } } }
}"""
LISTED = """
query Listed {
  journeys(first: 100) {
    ... on JourneyConnection { edges { node { id availableActions { action allowed } } } }
  }
}"""


async def _assignment(api: Api, token: str, jid: str) -> dict[str, Any]:
    journey = (await api.run(ACTIONS, token, id=jid))["journey"]
    found = [a for a in journey["availableActions"] if a["action"] == "ASSIGN_CONSULTANT"]
    assert len(found) == 1, journey
    return found[0]  # type: ignore[no-any-return]


async def test_a_journey_that_missed_its_release_offers_the_assignment_the_api_takes(
    cockpit_api: Api, missed: MissedRelease
) -> None:
    # Given a client whose journey missed the desk's day's-end release
    desk, jid = missed.staff[Role.FRONT_DESK].token, missed.jid
    # Then the desk and a supervisor are offered the assignment (before: "not possible in
    # stage CONSULTATION"), and a consultant is told it is not theirs
    for role in (Role.FRONT_DESK, Role.SUPERVISOR):
        offered = await _assignment(cockpit_api, missed.staff[role].token, jid)
        assert offered == {"action": "ASSIGN_CONSULTANT", "allowed": True, "reason": None}
    consultant = await _assignment(cockpit_api, missed.staff[Role.CONSULTANT].token, jid)
    assert consultant == {
        "action": "ASSIGN_CONSULTANT",
        "allowed": False,
        "reason": "ASSIGN_CONSULTANT needs one of: FRONT_DESK, SUPERVISOR",
    }
    # And a step the journey refuses names the assignment among what the desk may do instead
    refused = await cockpit_api.run(documents.CHECK_IN, desk, input={"journeyId": jid})
    answer = refused["checkIn"]
    assert answer["__typename"] == "TransitionNotAllowed", answer
    assert "ASSIGN_CONSULTANT" in answer["allowedActions"], answer

    # When the desk takes the offered action
    pick = {"journeyId": jid, "consultantId": missed.consultants[-1]}
    picked = (await cockpit_api.run(ASSIGN_BY_DESK, desk, input=pick))["assignConsultant"]
    # Then it is accepted, and the placed journey offers no assignment any more
    assert picked == {"__typename": "JourneyPayload", "journey": {"stage": "CONSULTATION"}}
    after = await _assignment(cockpit_api, desk, jid)
    assert after == {
        "action": "ASSIGN_CONSULTANT",
        "allowed": False,
        "reason": "not possible in stage CONSULTATION",
    }


async def test_a_list_of_waiting_journeys_asks_for_missed_releases_in_one_batch(
    cockpit_api: Api, missed: MissedRelease
) -> None:
    # Given the journey that missed its release, and two more clients waiting for the
    # consultants the desk placed them with this morning
    desk = missed.staff[Role.FRONT_DESK].token
    for n in (2, 3):
        waiting = await _journey_at_triage(cockpit_api, desk, n)
        placed = await cockpit_api.run(AUTO_ASSIGN, desk, input={"journeyId": waiting})
        assert placed["autoAssign"]["journey"]["stage"] == "CONSULTATION", placed
    # When the desk lists the clinic's journeys with what it may do to each
    with statements_naming("triage_entry", "journey_event") as statements:
        listed = (await cockpit_api.run(LISTED, desk))["journeys"]["edges"]
    # Then only the journey that missed its release offers the assignment
    offered = {
        edge["node"]["id"]
        for edge in listed
        for a in edge["node"]["availableActions"]
        if a["action"] == "ASSIGN_CONSULTANT" and a["allowed"]
    }
    assert (len(listed), offered) == (3, {missed.jid})
    # And the three waiting journeys cost the reads of one: the desk's latest word on each
    # and the release it is, then whether a journey moved on since
    assert len([s for s in statements if "triage_entry" in s]) == 2, statements
    assert len([s for s in statements if "journey_event" in s]) == 1, statements


async def _named_consultant_token(api: Api, missed: MissedRelease) -> str:
    """The consultant the desk released the client from, signed in (their username is their
    account id: `tests.staff_rows.more_consultants`)."""
    username = decode_id(missed.named["id"], "StaffMember")
    login = {"username": username, "password": DEMO_PASSWORD}
    signed_in = (await api.run(documents.LOGIN, input=login))["login"]
    assert signed_in["__typename"] == "LoginPayload", signed_in
    return str(signed_in["token"])


async def test_the_released_consultant_accepting_is_not_offered_the_desks_assignment(
    cockpit_api: Api, missed: MissedRelease
) -> None:
    # Given a client whose journey missed the release, and the consultant it still names
    consultant = await _named_consultant_token(cockpit_api, missed)
    # When that consultant accepts the old assignment
    refused = await cockpit_api.run(ACCEPT, consultant, input={"journeyId": missed.jid})
    answer = refused["acceptClient"]
    # Then it is refused, as released, with nothing a consultant may do in its stead (before:
    # ASSIGN_CONSULTANT, which the API refuses a consultant)
    assert answer["__typename"] == "TransitionNotAllowed", answer
    assert "released at the end of" in answer["message"]
    assert (answer["stage"], answer["allowedActions"]) == ("CONSULTATION", [])
    pick = {"journeyId": missed.jid, "consultantId": missed.consultants[-1]}
    tried = (await cockpit_api.run(ASSIGN_BY_DESK, consultant, input=pick))["assignConsultant"]
    assert tried["__typename"] == "NotAuthorized", tried
    desk = missed.staff[Role.FRONT_DESK].token
    unchanged = (await cockpit_api.run(JOURNEY, desk, id=missed.jid))["journey"]
    assert (unchanged["stage"], unchanged["consultant"]) == ("CONSULTATION", missed.named)
    # And the desk accepting it is still shown the way on
    by_desk = await cockpit_api.run(ACCEPT, desk, input={"journeyId": missed.jid})
    assert by_desk["acceptClient"]["allowedActions"] == ["ASSIGN_CONSULTANT"], by_desk
