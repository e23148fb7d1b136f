"""A review waiting on an expert who left or is away is not stuck for good: a supervisor hands it
to another expert of the clinic (reassignExpertReview), who decides it; the first may no more."""

from __future__ import annotations

import uuid
from typing import Any

from domain.roles import Role
from domain.store.models import Clinic, StaffAccount
from schema.ids import encode_id
from server.seed import DEMO_PASSWORD
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver, new_key
from tests.api.harness import Staff, demo_password_hash
from tests.staff_rows import staff_account
from tests.supervision.conftest import CLINIC_ID

JOURNEY_VIEW = """
fragment ReviewView on Journey {
  id
  stage
  history { seq action actorId actorRole summary details }
  availableActions { action allowed reason }
}
"""
RESULT = """
  __typename
  ... on JourneyPayload { journey { ...ReviewView } }
  ... on UserError { code message }
  ... on TransitionNotAllowed { stage allowedActions }
  ... on ValidationFailed { problems { field message } }
"""
REASSIGN_REVIEW = (
    "mutation Hand($input: ReassignExpertReviewInput!) { reassignExpertReview(input: $input) {"
    + RESULT
    + "} }"
    + JOURNEY_VIEW
)
REVIEW_VIEW = (
    "query View($id: ID!) { journey(id: $id) { __typename ...ReviewView } }" + JOURNEY_VIEW
)
DEACTIVATE = """
mutation Off($input: UpdateStaffAccountInput!) {
  updateStaffAccount(input: $input) { __typename ... on StaffAccountPayload { active } }
}
"""
BRIEFING = {
    "goal": "look rested",
    "expectation": "natural",
    "history": "none",
    "proposedItems": ["hyaluronic acid, cheeks"],
    "helpWanted": "confirm the plan",
}
ONLY_THE_ASKED = "only the expert asked for the review may decide it"


async def _new_expert(cockpit: JourneyDriver, clinic_id: str = CLINIC_ID) -> Staff:
    """Another expert account, signed in when it is of the cockpit's clinic."""
    await Clinic.get_or_create(id=clinic_id, defaults={"name": f"{clinic_id} clinic"})
    username = f"cockpit-expert-{uuid.uuid4().hex[:8]}"
    account = await staff_account(
        clinic_id,
        f"staff-{username}",
        Role.EXPERT,
        display_name="Test Expert",
        username=username,
        password_hash=demo_password_hash(),
    )
    global_id = encode_id("StaffMember", account.id)
    staff = Staff(account.id, global_id, username, Role.EXPERT, token="")
    if clinic_id != CLINIC_ID:
        return staff
    data = await cockpit.api.run(
        documents.LOGIN, input={"username": username, "password": DEMO_PASSWORD}
    )
    assert data["login"]["__typename"] == "LoginPayload", data
    return Staff(account.id, global_id, username, Role.EXPERT, data["login"]["token"])


def _as(cockpit: JourneyDriver, expert: Staff) -> JourneyDriver:
    """The cockpit's staff with `expert` as its expert."""
    return JourneyDriver(cockpit.api, {**cockpit.staff, Role.EXPERT: expert})


async def _review_waiting_on(cockpit: JourneyDriver, expert: Staff) -> str:
    journey = await cockpit.drive_to("CONSULTATION")
    await cockpit.consult(journey["id"])
    asked = await cockpit.ok(
        documents.REQUEST_EXPERT_REVIEW,
        Role.CONSULTANT,
        journeyId=journey["id"],
        expertId=expert.global_id,
        briefing=BRIEFING,
    )
    assert asked["stage"] == "EXPERT_REVIEW"
    return journey["id"]  # type: ignore[no-any-return]


async def _hand(cockpit: JourneyDriver, token: str, **input: Any) -> dict[str, Any]:
    data = await cockpit.api.run(REASSIGN_REVIEW, token, input=input)
    return data["reassignExpertReview"]  # type: ignore[no-any-return]


async def _view(cockpit: JourneyDriver, jid: str, token: str) -> dict[str, Any]:
    data = await cockpit.api.run(REVIEW_VIEW, token, id=jid)
    return data["journey"]  # type: ignore[no-any-return]


def _approval(journey: dict[str, Any]) -> dict[str, Any]:
    (approval,) = [a for a in journey["availableActions"] if a["action"] == "APPROVE_PLAN"]
    return approval  # type: ignore[no-any-return]


async def test_a_review_waiting_on_an_expert_who_left_goes_to_another_who_decides_it(
    cockpit: JourneyDriver,
) -> None:
    # Given a review asked of an expert who then leaves the clinic (deactivated)
    gone, stand_in = await _new_expert(cockpit), await _new_expert(cockpit)
    jid = await _review_waiting_on(cockpit, gone)
    off = await cockpit.api.run(
        DEACTIVATE, cockpit.token(Role.ADMIN), input={"staffId": gone.global_id, "active": False}
    )
    assert off["updateStaffAccount"] == {"__typename": "StaffAccountPayload", "active": False}
    # ... no other expert may decide it
    stuck = await _as(cockpit, stand_in).act(
        documents.COMPLETE_EXPERT_REVIEW,
        Role.EXPERT,
        journeyId=jid,
        decision="APPROVE",
        points="volume in the cheeks",
        finalPlan=PLAN,
    )
    assert (stuck["__typename"], stuck["message"]) == ("NotAuthorized", ONLY_THE_ASKED)
    assert _approval(await _view(cockpit, jid, stand_in.token))["allowed"] is False

    # When the supervisor hands the review to the stand-in
    key = new_key()
    hand = {"journeyId": jid, "expertId": stand_in.global_id, "reason": "left the clinic"}
    handed = await _hand(cockpit, cockpit.token(Role.SUPERVISOR), **hand, idempotencyKey=key)

    # Then the journey waits in review on the stand-in, and its history says who, whom, why
    assert handed["__typename"] == "JourneyPayload", handed
    journey = handed["journey"]
    assert journey["stage"] == "EXPERT_REVIEW"
    last = journey["history"][-1]
    supervisor = cockpit.staff[Role.SUPERVISOR]
    assert (last["action"], last["actorRole"], last["actorId"]) == (
        "reassign_expert_review",
        "SUPERVISOR",
        supervisor.account_id,
    )
    assert last["summary"] == (
        f"expert review reassigned from {gone.account_id} to {stand_in.account_id}"
    )
    assert last["details"]["reason"] == "left the clinic"
    assert last["details"]["expert_id"] == stand_in.global_id
    # ... a retry is answered as the first time, and hands nothing over again
    again = await _hand(cockpit, cockpit.token(Role.SUPERVISOR), **hand, idempotencyKey=key)
    assert again == handed
    # ... the same key for another request is a conflict
    other = await _hand(
        cockpit,
        cockpit.token(Role.SUPERVISOR),
        **{**hand, "expertId": cockpit.staff[Role.EXPERT].global_id},
        idempotencyKey=key,
    )
    assert other["__typename"] == "Conflict", other
    # ... the stand-in sees the decision is theirs; the expert who left is signed out
    assert _approval(await _view(cockpit, jid, stand_in.token)) == {
        "action": "APPROVE_PLAN",
        "allowed": True,
        "reason": None,
    }
    refused = await _as(cockpit, gone).act(
        documents.COMPLETE_EXPERT_REVIEW,
        Role.EXPERT,
        journeyId=jid,
        decision="REFUSE",
        reason="not suitable",
    )
    assert refused["__typename"] == "NotAuthorized"

    # When the stand-in approves, the journey goes on to consent and payment
    approved = await _as(cockpit, stand_in).approve(jid)
    assert approved["stage"] == "CONSENT"
    assert (await cockpit.sign_consent(jid))["stage"] == "PAYMENT"
    history = (await _view(cockpit, jid, cockpit.token(Role.SUPERVISOR)))["history"]
    assert [e["action"] for e in history].count("reassign_expert_review") == 1


async def test_the_expert_away_may_no_longer_decide_a_review_handed_on(
    cockpit: JourneyDriver,
) -> None:
    # Given a review asked of the clinic's expert, who is away, handed to a stand-in
    stand_in = await _new_expert(cockpit)
    away = cockpit.staff[Role.EXPERT]
    jid = await _review_waiting_on(cockpit, away)
    handed = await _hand(
        cockpit,
        cockpit.token(Role.SUPERVISOR),
        journeyId=jid,
        expertId=stand_in.global_id,
        reason="on leave for two weeks",
        idempotencyKey=new_key(),
    )
    assert handed["__typename"] == "JourneyPayload", handed

    # When the expert away comes back and tries to decide it, they are refused
    decided = await cockpit.act(
        documents.COMPLETE_EXPERT_REVIEW,
        Role.EXPERT,
        journeyId=jid,
        decision="REFUSE",
        reason="not suitable",
    )
    assert (decided["__typename"], decided["message"]) == ("NotAuthorized", ONLY_THE_ASKED)
    assert _approval(await _view(cockpit, jid, away.token)) == {
        "action": "APPROVE_PLAN",
        "allowed": False,
        "reason": ONLY_THE_ASKED,
    }
    # ... and the review can go back to them only by another handover
    back = await _hand(
        cockpit,
        cockpit.token(Role.SUPERVISOR),
        journeyId=jid,
        expertId=away.global_id,
        reason="back from leave",
        idempotencyKey=new_key(),
    )
    assert back["journey"]["history"][-1]["summary"] == (
        f"expert review reassigned from {stand_in.account_id} to {away.account_id}"
    )
    assert (await cockpit.approve(jid))["stage"] == "CONSENT"


async def test_a_handover_the_review_cannot_take_is_refused_and_changes_nothing(
    cockpit: JourneyDriver,
) -> None:
    # Given a review waiting on the clinic's expert, and a journey still in consultation
    jid = await _review_waiting_on(cockpit, cockpit.staff[Role.EXPERT])
    consulting = (await cockpit.drive_to("CONSULTATION"))["id"]
    stand_in = await _new_expert(cockpit)
    left = await _new_expert(cockpit)
    await StaffAccount.filter(id=left.account_id).update(active=False)
    elsewhere = await _new_expert(cockpit, clinic_id="cockpit-other-clinic")
    supervisor = cockpit.token(Role.SUPERVISOR)
    before = await _view(cockpit, jid, supervisor)
    good = {"journeyId": jid, "expertId": stand_in.global_id, "reason": "away"}

    async def problems(**change: Any) -> list[tuple[str, str]]:
        refused = await _hand(cockpit, supervisor, **{**good, **change}, idempotencyKey=new_key())
        assert refused["__typename"] == "ValidationFailed", refused
        return [(p["field"], p["message"]) for p in refused["problems"]]

    no_such = [("expertId", "no such active expert in this clinic")]
    # Then an unknown, malformed, inactive, other clinic's or non-expert account is refused
    assert await problems(expertId=encode_id("StaffMember", "nobody")) == no_such
    assert await problems(expertId="not-an-id") == no_such
    assert await problems(expertId=left.global_id) == no_such
    assert await problems(expertId=elsewhere.global_id) == no_such
    assert await problems(expertId=cockpit.staff[Role.CONSULTANT].global_id) == no_such
    # ... so is the expert the review already names, and a handover without a reason
    assert await problems(expertId=cockpit.staff[Role.EXPERT].global_id) == [
        ("expertId", "already the expert asked for this review")
    ]
    assert await problems(reason="  ") == [("reason", "required")]
    # ... a journey not in review, and anyone but a supervisor
    early = await _hand(cockpit, supervisor, **{**good, "journeyId": consulting})
    assert early["__typename"] == "TransitionNotAllowed", early
    assert (early["stage"], early["message"]) == (
        "CONSULTATION",
        "not possible in stage CONSULTATION",
    )
    for role in (Role.EXPERT, Role.CONSULTANT, Role.FRONT_DESK):
        stranger = await _hand(cockpit, cockpit.token(role), **good)
        assert stranger["__typename"] == "NotAuthorized", (role, stranger)
    # ... and the review still waits on its expert, its history as it was
    after = await _view(cockpit, jid, supervisor)
    assert after["history"] == before["history"]
    assert _approval(await _view(cockpit, jid, cockpit.token(Role.EXPERT)))["allowed"] is True
