"""Through the real server: a client the desk placed, whose consultant took her and asked an
expert for a review, moved by the supervisor's reassignJourney to another consultant while her
journey is in expert review. The desk follows the move as it follows one made in consultation:
her owner and the revenue credit go to the consultant her journey names, whole; the first
consultant's turn stays used (she did consult) and nobody is owed one."""

from __future__ import annotations

from domain.store.triage_models import RevenueCredit
from domain.store.triage_projection import current_owner
from schema.ids import decode_id
from tests.api.desk_moves import moved, placed_with_the_first
from tests.api.harness import Api
from tests.api.test_desk_emergency import _logged
from tests.api.test_desk_learns import _board


async def test_a_journey_moved_in_expert_review_moves_the_desks_owner_and_credit(
    api: Api,
) -> None:
    # Given a first visit the desk gave the first consultant, who took her (her consultation
    # recorded) and asked an expert to review her plan
    placed = await placed_with_the_first(api, consulting=0)
    clinic, desk, consultants = placed.clinic, placed.desk, placed.consultants
    journey, driver = placed.journey, placed.driver
    accounts = [decode_id(c, "StaffMember") for c in consultants]
    await driver.consult(journey)
    [accepted] = await _logged(clinic, ["ACCEPTED"], 1)
    reviewed = await driver.request_review(journey)
    assert reviewed["stage"] == "EXPERT_REVIEW", reviewed
    assert accepted.client_id is not None
    assert await current_owner(accepted.client_id) == accounts[0]

    # When the supervisor moves her journey to the second consultant during the review
    await moved(placed, consultants[1], reason="the client asked for another consultant")

    # Then the desk follows: its log places her with the second, from the first, the revenue
    # credited to the second whole and the client hers
    [followed] = await _logged(clinic, ["REASSIGNED"], 1)
    assert (followed.actor_id, followed.consultant_id) == ("triage-desk", accounts[1])
    assert followed.details["from_consultant_id"] == accounts[0]
    credits = await RevenueCredit.filter(clinic_id=clinic, entry_seq=followed.seq)
    assert [(c.consultant_id, c.percent) for c in credits] == [(accounts[1], 100)]
    assert await current_owner(accepted.client_id) == accounts[1]
    # And the board: nobody waits or is called, the first consultant's turn stays used and
    # nobody is owed a turn
    board = await _board(api, desk, clinic)
    assert (board["pending"], board["alerts"]) == ([], [])
    assert [s["firstVisitTurns"] for s in board["seats"]] == [1, 0, 0, 0, 0]
    assert [s["owedTurns"] for s in board["seats"]] == [0] * 5

    # When the expert approves the plan
    approved = await driver.approve(journey)
    # Then her journey goes on with the second consultant, and the desk hands nobody on
    assert approved["stage"] == "CONSENT", approved
    assert approved["consultant"]["id"] == consultants[1]
    assert await _logged(clinic, ["TIMED_OUT"], 0) == []
