"""Through the real server: a client the supervisor placed anew on the desk (reassignClient),
whose journey the supervisor then moves to another consultant (reassignJourney), is with that
consultant on both: the desk follows the journey as it follows any move of the supervisor's, the
revenue credited whole to the consultant the journey names and her ownership with them. The
supervisor's latest decision stands, whichever of the two made it: placed anew once more with
reassignClient, her journey follows the desk again."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from domain.store.models import Journey
from domain.store.triage_models import RevenueCredit, TriageEntry
from domain.store.triage_projection import current_owner
from schema.ids import decode_id
from tests.api.desk_moves import Placed, moved, placed_with_the_first
from tests.api.harness import Api, eventually
from tests.api.test_desk_emergency import _logged
from tests.api.test_desk_learns import _board
from tests.api.test_desk_unaccepted import _override


async def _placed_anew(placed: Placed, to: str) -> None:
    """The supervisor places her anew with `to` (reassignClient, the client's request), and her
    journey names `to` once the desk's hand-over reaches it."""
    anew = {
        "journeyId": placed.journey,
        "consultantId": to,
        "rule": "CLIENT_REQUEST",
        "reason": "the client asked for another consultant",
    }
    supervisor = placed.staff[Role.SUPERVISOR].token
    await _override(placed.driver.api, "reassignClient", supervisor, **anew)
    await _named(placed, to)


async def _named(placed: Placed, consultant: str) -> dict[str, Any]:
    """Her journey, once it names `consultant`."""

    def names(journey: dict[str, Any]) -> bool:
        return bool(journey["consultant"] and journey["consultant"]["id"] == consultant)

    return dict(
        await eventually(
            lambda: placed.driver.journey(placed.journey),
            names,
            timeout=30,
            what=f"the journey naming {consultant}",
        )
    )


def _by_seq(entries: list[TriageEntry]) -> list[TriageEntry]:
    return sorted(entries, key=lambda e: e.seq)


async def _desk_credits(clinic: str, entry: TriageEntry) -> list[tuple[str, int]]:
    rows = await RevenueCredit.filter(clinic_id=clinic, entry_seq=entry.seq).order_by("id")
    return [(c.consultant_id, c.percent) for c in rows]


async def test_a_client_placed_anew_then_moved_is_with_the_same_consultant_on_both(
    api: Api,
) -> None:
    # Given a first visit the desk gave the first consultant, placed anew with the second by
    # the supervisor (reassignClient), her journey naming the second
    placed = await placed_with_the_first(api, consulting=2)
    clinic, desk, consultants = placed.clinic, placed.desk, placed.consultants
    accounts = [decode_id(c, "StaffMember") for c in consultants]
    await _placed_anew(placed, consultants[1])

    # When the supervisor moves her journey to the third consultant (reassignJourney)
    await moved(placed, consultants[2], reason="the client asked for another consultant")

    # Then her journey and its read-model row name the third
    await _named(placed, consultants[2])
    row = await Journey.get(id=decode_id(placed.journey, "Journey"))
    assert row.consultant_id == accounts[2]
    # And the desk follows: its log's latest placement of her is the third, from the second,
    # the revenue credited to the third whole and the client hers
    anew, followed = _by_seq(await _logged(clinic, ["REASSIGNED"], 2))
    assert (anew.details["from_consultant_id"], anew.consultant_id) == (accounts[0], accounts[1])
    assert anew.actor_id != "triage-desk"
    assert (followed.actor_id, followed.details["from_consultant_id"]) == (
        "triage-desk",
        accounts[1],
    )
    assert followed.consultant_id == accounts[2]
    assert await _desk_credits(clinic, followed) == [(accounts[2], 100)]
    assert followed.client_id is not None
    assert await current_owner(followed.client_id) == accounts[2]
    # And nobody waits, nobody is called, nobody owes a turn
    board = await _board(api, desk, clinic)
    assert (board["pending"], board["alerts"]) == ([], [])
    assert [s["owedTurns"] for s in board["seats"]] == [0] * 5

    # When the third consultant records the consultation
    consulted = await placed.driver.consult(placed.journey)
    # Then the journey still names her, and the desk logs nothing more of the client
    assert consulted["consultant"]["id"] == consultants[2]
    assert await _logged(clinic, ["TIMED_OUT", "ACCEPTED"], 0) == []

    # When the supervisor places her anew with the second consultant again (reassignClient)
    await _placed_anew(placed, consultants[1])
    # Then the desk and her journey both name the second, the revenue and the client hers
    *_, again = _by_seq(await _logged(clinic, ["REASSIGNED"], 3))
    assert (again.details["from_consultant_id"], again.consultant_id) == (accounts[2], accounts[1])
    assert await _desk_credits(clinic, again) == [(accounts[1], 100)]
    assert await current_owner(followed.client_id) == accounts[1]
    row = await Journey.get(id=decode_id(placed.journey, "Journey"))
    assert row.consultant_id == accounts[1]
