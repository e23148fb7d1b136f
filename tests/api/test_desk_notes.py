"""What staff write on the desk is a desk note in the database; the desk hears its id only.

A refused change leaves no note behind, a retried one finds the note its first attempt wrote.
Ids the desk and the journeys are told are checked first to name this clinic's staff and
journeys (their workflows carry them and cannot look them up), and a follow-up id must be one.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from domain.roles import Role
from domain.store.models import IdempotencyKey
from domain.store.triage_models import DeskNote, TriageEntry
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, eventually
from tests.api.test_triage_api import UPDATE_SEAT, _desk_clinic, _journey_at_triage


def answer(mutation: str, input_type: str) -> str:
    """The mutation's typename, and the fields a validation problem names."""
    return (
        f"mutation M($input: {input_type}!) {{ {mutation}(input: $input) {{ __typename "
        "... on UserError { message } ... on ValidationFailed { problems { field message } } } }"
    )


SEAT_PROBLEMS = answer("updateTriageSeat", "SeatInput")
ASSIGN_PROBLEMS = answer("autoAssign", "AutoAssignInput")


async def seat_changes(clinic: str, words: str) -> list[str]:
    """The reasons of the desk log's seat changes naming `words`, once there is one (the log
    is written a moment after the desk changed)."""
    entries = await eventually(
        lambda: TriageEntry.filter(clinic_id=clinic, kind="SEAT_CHANGED", reason__contains=words),
        lambda rows: len(rows) >= 1,
        timeout=10,
        what="the entry of the change",
    )
    return [entry.reason for entry in entries]


async def _notes(text: str) -> int:
    return await DeskNote.filter(text=text).count()


async def test_a_refused_desk_change_leaves_its_note_unread(api: Api) -> None:
    # Given a desk and a consultant who tries to take another consultant off duty
    _, staff, consultants = await _desk_clinic(api)
    words = f"covering for a colleague {uuid.uuid4()}"
    change = {"consultantId": consultants[1], "reason": words, "onDuty": False}
    # When the desk refuses it
    refused = await api.run(UPDATE_SEAT, staff[Role.CONSULTANT].token, input=change)
    # Then the answer is typed; the note stays (nothing written is deleted) and no log entry,
    # so nothing staff read, names it
    assert refused["updateTriageSeat"]["__typename"] == "NotAuthorized"
    assert await _notes(words) == 1
    assert await TriageEntry.filter(reason__contains=words).count() == 0


async def test_a_retry_after_a_lost_answer_finds_the_note_of_its_first_attempt(api: Api) -> None:
    # Given a change the desk made, whose answer was lost before the API settled its key
    clinic, staff, consultants = await _desk_clinic(api)
    words = f"with a client {uuid.uuid4()}"
    key = f"key-{uuid.uuid4()}"
    change = {"consultantId": consultants[0], "reason": words, "status": "BUSY"}
    desk = staff[Role.FRONT_DESK]
    first = await api.run(UPDATE_SEAT, desk.token, input={**change, "idempotencyKey": key})
    assert first["updateTriageSeat"]["__typename"] == "TriageBoardPayload"
    lost = IdempotencyKey.filter(account_id=desk.account_id, key=key)
    assert await lost.update(result_id="") == 1  # claimed, never settled
    # When the client retries with the same key
    retried = await api.run(UPDATE_SEAT, desk.token, input={**change, "idempotencyKey": key})
    # Then it gets the board, the words are still one note, and the log has one entry for them
    assert retried["updateTriageSeat"]["__typename"] == "TriageBoardPayload"
    assert await _notes(words) == 1
    assert await seat_changes(clinic, words) == [f"status BUSY: {words}"]


async def test_a_blank_or_overlong_reason_is_refused_before_the_desk(api: Api) -> None:
    _, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    for reason, message in (("  ", "required"), ("x" * 901, "at most 900 characters")):
        change = {"consultantId": consultants[0], "reason": reason, "status": "AWAY"}
        answer = await api.run(SEAT_PROBLEMS, desk, input=change)
        assert answer["updateTriageSeat"]["problems"] == [{"field": "reason", "message": message}]


async def test_ids_the_desk_is_told_must_name_this_clinics_staff_and_journeys(api: Api) -> None:
    # Given a journey at triage, and a consultant and a journey of another clinic
    clinic, staff, _ = await _desk_clinic(api)
    _, other_staff, other_consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    journey = await _journey_at_triage(api, desk, 1)
    foreign_journey = await _journey_at_triage(api, other_staff[Role.FRONT_DESK].token, 2)
    cases = (
        ({"partnerConsultantId": other_consultants[0]}, "partnerConsultantId"),
        ({"companionOfJourneyId": foreign_journey}, "companionOfJourneyId"),
    )
    for reference, field in cases:
        # When the front desk names it
        answer = await api.run(ASSIGN_PROBLEMS, desk, input={"journeyId": journey, **reference})
        # Then it is refused as bad input, and the desk decided nothing
        assert answer["autoAssign"]["__typename"] == "ValidationFailed", answer
        assert [p["field"] for p in answer["autoAssign"]["problems"]] == [field]
    raw = decode_id(journey, "Journey")
    assert not await TriageEntry.filter(clinic_id=clinic, journey_id=raw).exists()


async def test_the_desk_hears_no_id_of_another_clinic(api: Api) -> None:
    # Given a desk, and a journey and a consultant of another clinic
    _, staff, consultants = await _desk_clinic(api)
    _, other_staff, other_consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    foreign = await _journey_at_triage(api, other_staff[Role.FRONT_DESK].token, 1)
    # When the desk's mutations name them
    refused = [
        await api.run(
            answer("acceptClient", "AcceptClientInput"), desk, input={"journeyId": foreign}
        ),
        await api.run(
            answer("correctDeskRecord", "DeskOverrideInput"),
            supervisor,
            input={"journeyId": foreign, "amendsSeq": 1, "reason": "typo"},
        ),
        await api.run(
            answer("setRotationOrder", "RotationOrderInput"),
            supervisor,
            input={"consultantIds": [*consultants[1:], consultants[0], other_consultants[0]]},
        ),
    ]
    # Then the API refuses each before the desk hears of it (the desk would have taken the
    # correction, and would not know the journey as "journey not found")
    answers = [next(iter(r.values())) for r in refused]
    assert [(a["__typename"], a["message"]) for a in answers[:2]] == [
        ("NotFound", "journey not found")
    ] * 2
    assert answers[2]["problems"] == [
        {"field": "consultantIds", "message": "no such active consultant in this clinic"}
    ]


async def test_the_expert_asked_must_be_an_expert_of_the_clinic(
    driver: JourneyDriver, fresh_clinic: Callable[[], Awaitable[JourneyDriver]]
) -> None:
    # Given a journey in consultation, and an expert of another clinic
    journey = await driver.consult((await driver.assign((await driver.start())["id"]))["id"])
    stranger = (await fresh_clinic()).staff[Role.EXPERT].global_id
    # When the consultant asks that expert for the review
    briefing = {
        "goal": "look rested",
        "expectation": "natural",
        "history": "none",
        "proposedItems": ["botox"],
        "helpWanted": "confirm",
    }
    result = await driver.act(
        documents.REQUEST_EXPERT_REVIEW,
        Role.CONSULTANT,
        journeyId=journey["id"],
        expertId=stranger,
        briefing=briefing,
    )
    # Then the id is refused before it reaches the journey, which has not moved
    assert result["__typename"] == "ValidationFailed"
    assert [p["field"] for p in result["problems"]] == ["expertId"]
    assert (await driver.journey(journey["id"]))["history"] == journey["history"]


async def test_a_follow_up_id_must_look_like_one(driver: JourneyDriver) -> None:
    # Given a journey; When a follow-up call names an id the journey never makes
    journey = await driver.start()
    answer = await driver.act(
        documents.COMPLETE_FOLLOW_UP,
        Role.FOLLOW_UP_STAFF,
        journeyId=journey["id"],
        followUpId="call Anna back",
        outcome="REACHED",
        satisfaction=5,
    )
    # Then it is refused before it reaches the journey's workflow
    assert answer["__typename"] == "ValidationFailed"
    assert [p["field"] for p in answer["problems"]] == ["followUpId"]
    assert (await driver.journey(journey["id"]))["history"] == journey["history"]
