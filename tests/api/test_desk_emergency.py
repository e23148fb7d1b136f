"""The desk's emergency route through the real server (seed 004: rotation rules item 9, triage
rules art. 8): an emergency arrival goes to the first free consultant as her turn, a waiting
client marked an emergency is handed on when her consultant is busy, and the supervisor's board
is pushed the EMERGENCY alert; the log keeps an EMERGENCY entry with its reason code."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from domain.roles import Role
from domain.store.triage_models import TriageEntry
from domain.triage.board_changes import board_view
from domain.triage.commands import DeskReply, OverrideCommand
from schema.ids import decode_id
from tests.api.harness import Api, eventually
from tests.api.test_triage_api import (
    AUTO_ASSIGN,
    UPDATE_SEAT,
    _desk_clinic,
    _journey_at_triage,
)
from workflows.triage_client import TriageGateway

MARK = """
mutation Mark($input: MarkEmergencyInput!) {
  markEmergency(input: $input) {
    __typename
    ... on UserError { code message }
    ... on TriageBoardPayload {
      board { version pending { journeyId consultantId emergency } alerts { kind message } }
    }
  }
}"""
BOARD = """
query Board($clinicId: ID!) {
  triageBoard(clinicId: $clinicId) {
    version pending { journeyId consultantId emergency } alerts { kind journeyId message }
  }
}"""
PUSHED = """
subscription Changed($clinicId: ID!) {
  triageBoardChanged(clinicId: $clinicId) { version alerts { kind journeyId message } }
}"""


async def _seat(api: Api, token: str, consultant: str, **change: Any) -> int:
    """The desk's version after the change."""
    done = await api.run(
        UPDATE_SEAT, token, input={"consultantId": consultant, "reason": "desk", **change}
    )
    assert done["updateTriageSeat"]["__typename"] == "TriageBoardPayload", done
    return int(done["updateTriageSeat"]["board"]["version"])


async def _board(api: Api, token: str, clinic: str, version: int) -> dict[str, Any]:
    """The board once the read model has caught up with the desk's `version`."""
    found = await eventually(
        lambda: api.run(BOARD, token, clinicId=clinic),
        lambda b: b["triageBoard"]["version"] >= version,
        timeout=30,
        what="board",
    )
    return dict(found["triageBoard"])


async def _board_pushed(pushes: Any, wanted: Callable[[list[str]], bool]) -> list[dict[str, Any]]:
    """Reads the pushed boards until one's alert kinds are `wanted` (within 30 s): its alerts."""

    async def first_wanted() -> list[dict[str, Any]]:
        async for pushed in pushes:
            alerts: list[dict[str, Any]] = pushed["triageBoardChanged"]["alerts"]
            if wanted([a["kind"] for a in alerts]):
                return alerts
        raise AssertionError("the pushes ended")

    return await asyncio.wait_for(first_wanted(), timeout=30)


async def _logged(clinic: str, kinds: list[str], count: int) -> list[TriageEntry]:
    """The desk log's entries of `kinds` once `count` of them are there (the log is written
    after the desk answers)."""
    return await eventually(  # type: ignore[no-any-return]
        lambda: TriageEntry.filter(clinic_id=clinic, kind__in=kinds),
        lambda found: len(found) == count,
        timeout=30,
        what=" and ".join(kinds),
    )


async def _placed_with_the_first(api: Api, desk: str, consultants: list[str]) -> str:
    """A client at triage the desk gave the first consultant: her journey's id."""
    journey = await _journey_at_triage(api, desk, 1)
    placed = (await api.run(AUTO_ASSIGN, desk, input={"journeyId": journey}))["autoAssign"]
    assert placed["decision"]["consultantId"] == consultants[0], placed
    return journey


async def test_an_emergency_arrival_goes_to_the_first_free_consultant_and_is_pushed(
    api: Api,
) -> None:
    # Given a desk whose consultants all take breast clients only, the first of them busy
    clinic, staff, consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    for consultant in consultants:
        await _seat(api, desk, consultant, scope=["breast"])
    await _seat(api, desk, consultants[0], status="BUSY")
    plain = await _journey_at_triage(api, desk, 1)
    burnt = await _journey_at_triage(api, desk, 2)
    # And a skin client nobody's scope covers waits for the supervisor
    waiting = await api.run(AUTO_ASSIGN, desk, input={"journeyId": plain, "items": ["skin"]})
    assert waiting["autoAssign"]["__typename"] == "TransitionNotAllowed", waiting
    async with api.subscription(PUSHED, supervisor, clinicId=clinic) as stream:
        # (the board is read from the desk's log, which lags the desk's answer)
        pushes = aiter(stream)
        await _board_pushed(pushes, lambda kinds: kinds == ["UNPLACED"])

        # When a client with a fresh extensive burn arrives for the same item
        urgent = {"journeyId": burnt, "items": ["skin"], "emergency": "FRESH_EXTENSIVE_BURN"}
        placed = (await api.run(AUTO_ASSIGN, desk, input=urgent))["autoAssign"]

        # Then the first free consultant receives her as their turn, ahead of the queue
        assert placed["__typename"] == "AutoAssignPayload", placed
        decision = placed["decision"]
        assert (decision["consultantId"], decision["route"], decision["counted"]) == (
            consultants[1],
            "EMERGENCY",
            True,
        )
        assert placed["journey"]["consultant"]["id"] == consultants[1]
        # And the supervisor's board is pushed the emergency, to fetch a doctor
        alerts = await _board_pushed(pushes, lambda kinds: "EMERGENCY" in kinds)
        assert [(a["kind"], a["journeyId"]) for a in alerts] == [
            ("UNPLACED", plain),
            ("EMERGENCY", burnt),
        ]
        assert "FRESH_EXTENSIVE_BURN" in alerts[1]["message"]
    # And the log keeps the emergency with its code
    entries = await eventually(
        lambda: TriageEntry.filter(clinic_id=clinic, kind="EMERGENCY"),
        lambda rows: len(rows) == 1,
        timeout=30,
        what="emergency entry",
    )
    assert entries[0].details["rule"] == "FRESH_EXTENSIVE_BURN"
    assert entries[0].journey_id == decode_id(burnt, "Journey")
    assert entries[0].actor_id == staff[Role.FRONT_DESK].account_id


async def test_a_waiting_client_marked_an_emergency_goes_on_to_a_free_consultant_once(
    api: Api,
) -> None:
    # Given a client the desk gave the first consultant, who then went busy with another
    clinic, staff, consultants = await _desk_clinic(api)
    desk, consultant = staff[Role.FRONT_DESK].token, staff[Role.CONSULTANT].token
    journey = await _placed_with_the_first(api, desk, consultants)
    before = await _board(api, desk, clinic, await _seat(api, desk, consultants[0], status="BUSY"))
    mark = {
        "journeyId": journey,
        "reason": "CONDITION_WORSENED",
        "idempotencyKey": uuid.uuid4().hex,
    }

    # When a consultant tries, or the front desk names a journey of no clinic of theirs
    refused = await api.run(MARK, consultant, input=mark)
    unknown = {**mark, "journeyId": "Sm91cm5leTpub25l", "idempotencyKey": uuid.uuid4().hex}
    nowhere = await api.run(MARK, desk, input=unknown)
    # Then neither is taken, and the desk is as it was
    assert refused["markEmergency"]["__typename"] == "NotAuthorized", refused
    assert nowhere["markEmergency"]["__typename"] == "NotFound", nowhere
    assert await _board(api, desk, clinic, before["version"]) == before

    # When the front desk sees her condition worsen, and sends it again with the same key
    marked = (await api.run(MARK, desk, input=mark))["markEmergency"]
    again = (await api.run(MARK, desk, input=mark))["markEmergency"]
    # Then she is handed to the next free consultant, marked, and the supervisor alerted, once
    assert marked["__typename"] == "TriageBoardPayload", marked
    assert again["__typename"] == "TriageBoardPayload", again
    board = marked["board"]
    assert board["pending"] == [
        {"journeyId": journey, "consultantId": consultants[1], "emergency": "CONDITION_WORSENED"}
    ]
    assert [a["kind"] for a in board["alerts"]] == ["EMERGENCY"]
    # And the same key with another reason is a conflict; a new mark of her is refused
    conflict = await api.run(MARK, desk, input={**mark, "reason": "OTHER_ACUTE"})
    assert conflict["markEmergency"]["__typename"] == "Conflict", conflict
    twice = await api.run(MARK, desk, input={**mark, "idempotencyKey": uuid.uuid4().hex})
    assert twice["markEmergency"]["__typename"] == "TransitionNotAllowed", twice
    assert (await _board(api, desk, clinic, board["version"]))["version"] == board["version"]
    # And the log holds the hand-over and one emergency, with its code
    rows = await _logged(clinic, ["EMERGENCY", "REASSIGNED"], 2)
    kinds = sorted((row.seq, row.kind, row.details.get("rule")) for row in rows)
    assert [kind for _, kind, _ in kinds] == ["REASSIGNED", "EMERGENCY"]
    assert {rule for _, _, rule in kinds} == {"CONDITION_WORSENED"}


JOURNEY = "query J($id: ID!) { journey(id: $id) { ... on Journey { consultant { id } } } }"
ACCEPT = """
mutation Accept($input: AcceptClientInput!) {
  acceptClient(input: $input) {
    __typename
    ... on UserError { code message }
    ... on TriageBoardPayload { board { version alerts { kind journeyId } } }
  }
}"""


async def test_an_emergency_taken_in_hand_leaves_the_pushed_board(api: Api) -> None:
    # Given an emergency arrival the desk gave the first consultant, the supervisor alerted
    clinic, staff, consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    burnt = await _journey_at_triage(api, desk, 1)
    urgent = {"journeyId": burnt, "emergency": "FRESH_EXTENSIVE_BURN"}
    placed = (await api.run(AUTO_ASSIGN, desk, input=urgent))["autoAssign"]
    assert placed["decision"]["consultantId"] == consultants[0], placed
    async with api.subscription(PUSHED, supervisor, clinicId=clinic) as stream:
        # (the board is read from the desk's log, which lags the desk's answer: the first push
        # may come before the alert's)
        pushes = aiter(stream)
        await _board_pushed(pushes, lambda kinds: kinds == ["EMERGENCY"])

        # When the front desk says her consultant has taken her
        taken = await api.run(ACCEPT, desk, input={"journeyId": burnt})

        # Then the answer's board and the board pushed to the supervisor hold no alert for her
        assert taken["acceptClient"]["__typename"] == "TriageBoardPayload", taken
        assert taken["acceptClient"]["board"]["alerts"] == []
        await _board_pushed(pushes, lambda kinds: kinds == [])
    # And the log still keeps the emergency
    rows = await _logged(clinic, ["EMERGENCY", "ACCEPTED"], 2)
    assert sorted(row.kind for row in rows) == ["ACCEPTED", "EMERGENCY"]


async def _placed_then_worse(
    api: Api, busy: bool
) -> tuple[str, str, list[str], str, dict[str, Any]]:
    """A client the desk gave the first consultant, who then went busy with another when `busy`,
    and the desk's autoAssign input marking her condition worsened (a fresh key): (clinic, the
    desk's token, consultants, her journey, the input)."""
    clinic, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    journey = await _placed_with_the_first(api, desk, consultants)
    if busy:
        await _seat(api, desk, consultants[0], status="BUSY")
    worse = {
        "journeyId": journey,
        "emergency": "CONDITION_WORSENED",
        "idempotencyKey": uuid.uuid4().hex,
    }
    return clinic, desk, consultants, journey, worse


async def _emergency_nobody_could_take(
    api: Api, emergency: str | None = "FRESH_EXTENSIVE_BURN"
) -> tuple[str, str, str, list[str], dict[str, str]]:
    """An emergency arrival nobody could take, every consultant busy (a client who is none when
    `emergency` is None): (clinic, the desk's token, the supervisor's, consultants, the desk's
    autoAssign input for her)."""
    clinic, staff, consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    for consultant in consultants:
        await _seat(api, desk, consultant, status="BUSY")
    burnt = await _journey_at_triage(api, desk, 1)
    urgent = {"journeyId": burnt, **({"emergency": emergency} if emergency else {})}
    unplaced = (await api.run(AUTO_ASSIGN, desk, input=urgent))["autoAssign"]
    assert unplaced["__typename"] == "TransitionNotAllowed", unplaced
    return clinic, desk, supervisor, consultants, urgent


async def test_auto_assign_marks_a_client_already_placed_an_emergency_once(api: Api) -> None:
    # Given a client the desk gave the first consultant, who then went busy with another
    clinic, desk, consultants, journey, worse = await _placed_then_worse(api, busy=True)

    # When the front desk sends her to autoAssign again as an emergency, twice with one key
    marked = (await api.run(AUTO_ASSIGN, desk, input=worse))["autoAssign"]
    again = (await api.run(AUTO_ASSIGN, desk, input=worse))["autoAssign"]

    # Then she is marked as markEmergency would: handed to the next free consultant with her turn
    assert marked["__typename"] == "AutoAssignPayload", marked
    decision = marked["decision"]
    assert (decision["consultantId"], decision["route"], decision["counted"]) == (
        consultants[1],
        "EMERGENCY",
        True,
    )
    assert "CONDITION_WORSENED" in decision["reason"]
    # (the journey in each answer is as it stood: it follows the hand-on a moment later)
    assert again["__typename"] == "AutoAssignPayload", again
    assert again["decision"] == marked["decision"]
    other = await api.run(AUTO_ASSIGN, desk, input={**worse, "emergency": "OTHER_ACUTE"})
    assert other["autoAssign"]["__typename"] == "Conflict", other
    # And the board shows her an emergency with the next consultant, alerted once
    board = await eventually(
        lambda: api.run(BOARD, desk, clinicId=clinic),
        lambda b: b["triageBoard"]["pending"][0]["emergency"] is not None,
        timeout=30,
        what="marked board",
    )
    assert board["triageBoard"]["pending"] == [
        {"journeyId": journey, "consultantId": consultants[1], "emergency": "CONDITION_WORSENED"}
    ]
    assert [a["kind"] for a in board["triageBoard"]["alerts"]] == ["EMERGENCY"]
    # And the journey follows her to the next consultant
    await eventually(
        lambda: api.run(JOURNEY, desk, id=journey),
        lambda j: j["journey"]["consultant"]["id"] == consultants[1],
        timeout=30,
        what="journey handed on",
    )

    # When it is sent once more with a new key, and once she has been taken
    twice = {**worse, "idempotencyKey": uuid.uuid4().hex}
    marked_before = (await api.run(AUTO_ASSIGN, desk, input=twice))["autoAssign"]
    await api.run(ACCEPT, desk, input={"journeyId": journey})
    taken = {**worse, "idempotencyKey": uuid.uuid4().hex}
    refused = (await api.run(AUTO_ASSIGN, desk, input=taken))["autoAssign"]
    # Then each says why, as markEmergency does: marked before; taken, her consultant calls
    assert marked_before["__typename"] == "TransitionNotAllowed", marked_before
    assert "already marked an emergency" in marked_before["message"]
    assert refused["__typename"] == "TransitionNotAllowed", refused
    assert "taken her" in refused["message"]
    entries = await TriageEntry.filter(clinic_id=clinic, kind="EMERGENCY")
    assert len(entries) == 1


@pytest.mark.parametrize("busy", [True, False], ids=["handed-on", "kept"])
async def test_a_mark_sent_again_after_she_was_taken_answers_the_first_decision(
    api: Api, monkeypatch: pytest.MonkeyPatch, busy: bool
) -> None:
    # Given a client autoAssign marked an emergency: handed to the next free consultant when
    # hers went busy, else kept with hers
    clinic, desk, consultants, journey, worse = await _placed_then_worse(api, busy)
    marked = (await api.run(AUTO_ASSIGN, desk, input=worse))["autoAssign"]
    assert marked["__typename"] == "AutoAssignPayload", marked
    receiver = consultants[1] if busy else consultants[0]
    assert marked["decision"]["consultantId"] == receiver, marked
    # And her consultant has taken her since, the desk's log holding the mark
    taken = await api.run(ACCEPT, desk, input={"journeyId": journey})
    assert taken["acceptClient"]["__typename"] == "TriageBoardPayload", taken
    await eventually(
        lambda: TriageEntry.filter(clinic_id=clinic, kind="ACCEPTED"),
        lambda rows: len(rows) == 1,
        timeout=30,
        what="acceptance logged",
    )
    # And the desk answers an update it took as it does once it continued as new (its day's
    # end, or Temporal's advice): with its board now, where she no longer waits
    sent = TriageGateway.override

    async def answered_by_a_later_run(
        gateway: TriageGateway, clinic_id: str, command: OverrideCommand, update_id: str
    ) -> DeskReply:
        reply = await sent(gateway, clinic_id, command, update_id)
        return replace(reply, state=board_view(await gateway.desk(clinic_id)))

    monkeypatch.setattr(TriageGateway, "override", answered_by_a_later_run)

    # When the front desk sends the mark again with its key (its answer lost)
    again = (await api.run(AUTO_ASSIGN, desk, input=worse))["autoAssign"]

    # Then it is answered with the first decision, from the desk's log, and nothing changes
    assert again["__typename"] == "AutoAssignPayload", again
    assert again["decision"] == marked["decision"]
    entries = await TriageEntry.filter(clinic_id=clinic, kind="EMERGENCY")
    assert len(entries) == 1
