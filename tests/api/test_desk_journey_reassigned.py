"""Through the real server: a client the desk placed with a consultant, moved by the supervisor's
reassignJourney to another before the first took her, is settled on the desk as reassignClient
places a client anew. The new consultant has her at once: nobody waits for the first, so the
10-minute rule hands nobody on; the first consultant's turn stays used, the visit and the
revenue go to the new one; the journey keeps the consultant the supervisor named."""

from __future__ import annotations

from domain.store.triage_models import RevenueCredit
from schema.ids import decode_id
from tests.api.desk_moves import moved, placed_with_the_first
from tests.api.harness import Api, eventually
from tests.api.test_desk_emergency import _logged
from tests.api.test_desk_learns import _board


async def test_a_journey_the_supervisor_moves_is_followed_by_the_desk(api: Api) -> None:
    # Given a first visit the desk gave the first consultant, who has not taken her
    placed = await placed_with_the_first(api, consulting=2)
    clinic, desk, consultants = placed.clinic, placed.desk, placed.consultants
    journey, driver = placed.journey, placed.driver

    # When the supervisor moves her journey to the third consultant
    await moved(placed, consultants[2])

    # Then the desk no longer waits on the first consultant: the third has her
    board = await eventually(
        lambda: _board(api, desk, clinic), lambda b: not b["pending"], timeout=30, what="board"
    )
    assert board["alerts"] == []
    # And the first consultant's turn stays used, nobody owes anyone a turn
    assert [s["owedTurns"] for s in board["seats"]] == [0] * 5
    # And the log says the desk followed the journey, the revenue credited to the third whole
    [followed] = await _logged(clinic, ["REASSIGNED"], 1)
    account = decode_id(consultants[2], "StaffMember")
    assert (followed.actor_id, followed.consultant_id) == ("triage-desk", account)
    assert followed.details["from_consultant_id"] == decode_id(consultants[0], "StaffMember")
    credits = await RevenueCredit.filter(clinic_id=clinic, entry_seq=followed.seq)
    assert [(c.consultant_id, c.percent) for c in credits] == [(account, 100)]

    # When the third consultant records the consultation
    consulted = await driver.consult(journey)
    # Then the journey still names her (the desk sent it no hand-over), and nobody waits
    assert consulted["consultant"]["id"] == consultants[2]
    assert not (await _board(api, desk, clinic))["pending"]
    assert await _logged(clinic, ["TIMED_OUT", "ACCEPTED"], 0) == []


async def test_a_journey_moved_again_moves_the_desks_credit_again(api: Api) -> None:
    # Given a first visit the desk gave the first consultant, whose journey the supervisor moved
    # to the third, the desk following it
    placed = await placed_with_the_first(api, consulting=1)
    clinic, desk, consultants = placed.clinic, placed.desk, placed.consultants
    journey, driver = placed.journey, placed.driver
    for to in (consultants[2], consultants[1]):
        # When the supervisor moves her journey to the third consultant, then to the second
        await moved(placed, to, reason="the client asked for another consultant")

    # Then the desk followed each move: the revenue goes to the second consultant whole
    accounts = [decode_id(c, "StaffMember") for c in consultants]
    followed = await _logged(clinic, ["REASSIGNED"], 2)
    assert [(e.actor_id, e.details["from_consultant_id"], e.consultant_id) for e in followed] == [
        ("triage-desk", accounts[0], accounts[2]),
        ("triage-desk", accounts[2], accounts[1]),
    ]
    credits = await RevenueCredit.filter(clinic_id=clinic, entry_seq=followed[-1].seq)
    assert [(c.consultant_id, c.percent) for c in credits] == [(accounts[1], 100)]
    # And nobody waits, nobody owes a turn
    board = await _board(api, desk, clinic)
    assert (board["pending"], board["alerts"]) == ([], [])
    assert [s["owedTurns"] for s in board["seats"]] == [0] * 5

    # When the second consultant records the consultation
    consulted = await driver.consult(journey)
    # Then the journey still names her, and the desk logs nothing more of her
    assert consulted["consultant"]["id"] == consultants[1]
    assert await _logged(clinic, ["TIMED_OUT", "ACCEPTED"], 0) == []
