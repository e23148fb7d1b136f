"""`supervisorBoard(complaintCounts: true)` tells a supervisor's screen when the clinic's complaint
counts change: a COMPLAINTS update for each complaint recorded, answered or resolved, carrying
`openComplaints` and `overdueComplaints` as `journeyStats` gives them, each said once and in
order, and resumed from a cursor as the board's other changes are. Before, a supervisor saw a
new, answered or resolved complaint only by reading `journeyStats` again."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.permissions import SUBSCRIPTIONS, TYPES
from domain.permissions.audiences import of_roles
from domain.roles import STAFF_ROLES, Role
from domain.store.complaints import ComplaintChange
from schema.ids import encode_id
from schema.supervision.log_replay import REPLAY_AT_MOST
from tests.api.board_complaint_support import (
    BOARD,
    BOARD_AS_BEFORE,
    back_part_way,
    days_ago,
    gone,
    heard,
    left_after_a_complaint,
    said,
    said_until_marker,
    until_marker,
)
from tests.api.complaint_support import answered, call, complaint, taken
from tests.api.flow import JourneyDriver, new_key
from tests.api.live import HandFed, Pushes, reading
from tests.api.log_cursors import KEYS, opened, sealed

Fed = tuple[JourneyDriver, HandFed]
STATS = """
query Stats($clinicId: ID!) {
  journeyStats(clinicId: $clinicId) { ... on JourneyStats { openComplaints overdueComplaints } }
}"""
NOT_SUPERVISORS = [role for role in STAFF_ROLES if role is not Role.SUPERVISOR]


async def _stats(driver: JourneyDriver, fed: HandFed) -> str:
    data = await driver.api.run(STATS, driver.token(Role.SUPERVISOR), clinicId=fed.clinic_id)
    stats = data["journeyStats"]
    return f"COMPLAINTS {stats['openComplaints']}/{stats['overdueComplaints']}"


async def _refusal(updates: Pushes) -> list[dict[str, str]]:
    """The codes of the errors the subscription ended with, before it said anything."""
    with pytest.raises(TransportQueryError) as refused:
        await updates.next()
    assert refused.value.errors is not None
    return [error["extensions"] for error in refused.value.errors]


async def test_each_complaint_recorded_answered_and_resolved_is_pushed_once_with_the_counts(
    fed_by_hand: Fed,
) -> None:
    # Given a supervisor watching the board of a clinic with a client
    driver, fed = fed_by_hand
    client_id = await driver.register_client()
    watch = fed.api.subscription(BOARD, driver.token(Role.SUPERVISOR), clinicId=fed.clinic_id)
    told, read = [], []
    async with reading(watch, "supervisorBoard") as updates:
        await fed.watching()
        # When the desk takes down a complaint received ten days ago (overdue already), and a
        # nurse one received now
        late = await taken(driver, Role.FRONT_DESK, **complaint(client_id, receivedAt=days_ago(10)))
        told.append(await heard(fed, updates))
        read.append(await _stats(driver, fed))
        fresh = await taken(driver, Role.NURSE, **complaint(client_id))
        told.append(await heard(fed, updates))
        read.append(await _stats(driver, fed))
        # and a supervisor answers the first, then resolves it, and resolves the second
        await answered(driver, "respondToComplaint", late["id"])
        told.append(await heard(fed, updates))
        read.append(await _stats(driver, fed))
        await answered(driver, "resolveComplaint", late["id"], outcome="UPHELD")
        told.append(await heard(fed, updates))
        read.append(await _stats(driver, fed))
        resolution = {
            "complaintId": fresh["id"],
            "note": "she withdrew it",
            "outcome": "WITHDRAWN",
            "idempotencyKey": new_key(),
        }
        first = await call(driver, "resolveComplaint", Role.SUPERVISOR, **resolution)
        told.append(await heard(fed, updates))
        read.append(await _stats(driver, fed))
        # and the last is sent again with its key, as after a lost answer
        again = await call(driver, "resolveComplaint", Role.SUPERVISOR, **resolution)
        after = await said_until_marker(fed, updates)
    # Then each was pushed once, in order, with the counts journeyStats read after it
    assert told == [
        "COMPLAINTS 1/1",
        "COMPLAINTS 2/1",
        "COMPLAINTS 2/0",
        "COMPLAINTS 1/0",
        "COMPLAINTS 0/0",
    ]
    assert told == read
    # and the retry, which wrote nothing, pushed nothing
    assert again == first
    assert after == []


async def test_a_board_back_with_its_cursor_hears_each_complaint_change_it_missed_once(
    fed_by_hand: Fed,
) -> None:
    # Given a supervisor whose board said a complaint was recorded, then lost its connection
    driver, fed = fed_by_hand
    left = await left_after_a_complaint(driver, fed, Role.FRONT_DESK)
    # When, while it is away, the complaint is answered and two more are recorded
    await answered(driver, "respondToComplaint", left.complaint["id"])
    for _ in range(2):
        await taken(driver, Role.NURSE, **complaint(left.client_id, receivedAt=days_ago(10)))
    # and it comes back with its last cursor, leaves once it has heard one, and comes back with
    # that one's cursor
    part_way, rest = await back_part_way(fed, left)
    # Then it hears the three it missed, once each (the counts as they stand when said)
    assert said(left.last) == "COMPLAINTS 1/0"
    assert [said(part_way), *rest] == ["COMPLAINTS 3/2"] * 3


async def test_started_carries_the_counts_and_a_cursor_that_resumes_the_complaints_too(
    fed_by_hand: Fed,
) -> None:
    # Given a clinic with an overdue complaint, and a supervisor whose board said STARTED
    driver, fed = fed_by_hand
    token, client_id = driver.token(Role.SUPERVISOR), await driver.register_client()
    await taken(driver, Role.FRONT_DESK, **complaint(client_id, receivedAt=days_ago(10)))
    watch = fed.api.subscription(BOARD, token, clinicId=fed.clinic_id, announce=True)
    async with reading(watch, "supervisorBoard") as updates:
        started = await updates.next()
    await gone(fed)
    # When a complaint is recorded while she is away, and she comes back with STARTED's cursor
    await taken(driver, Role.NURSE, **complaint(client_id))
    back = fed.api.subscription(
        BOARD, token, clinicId=fed.clinic_id, after=started["cursor"], announce=True
    )
    async with reading(back, "supervisorBoard") as updates:
        await gone(fed, listeners=1)
        told = await said_until_marker(fed, updates)
    # Then STARTED carried the counts as they stood, and back she hears STARTED (with the
    # cursor she came with) and the complaint she missed
    assert started["change"] == "STARTED"
    assert (started["openComplaints"], started["overdueComplaints"]) == (1, 1)
    assert told == ["STARTED -", "COMPLAINTS 2/1"]


async def test_a_board_not_asking_for_complaints_hears_none_and_its_cursor_resumes_them_from_then(
    fed_by_hand: Fed,
) -> None:
    # Given a board subscribed as before complaint counts
    driver, fed = fed_by_hand
    token, client_id = driver.token(Role.SUPERVISOR), await driver.register_client()
    watch = fed.api.subscription(BOARD_AS_BEFORE, token, clinicId=fed.clinic_id)
    async with reading(watch, "supervisorBoard") as updates:
        await fed.watching()
        # When a complaint is recorded, and then a journey moves
        await taken(driver, Role.NURSE, **complaint(client_id))
        before, marker = await until_marker(fed, updates)
    # Then it hears the journey only
    assert before == []
    await gone(fed)
    # When another complaint is recorded while it is away, and it comes back with the journey's
    # cursor asking for the counts, and a third is recorded
    await taken(driver, Role.NURSE, **complaint(client_id))
    back = fed.api.subscription(BOARD, token, clinicId=fed.clinic_id, after=marker["cursor"])
    async with reading(back, "supervisorBoard") as updates:
        await gone(fed, listeners=1)
        replayed = await said_until_marker(fed, updates)
        await taken(driver, Role.NURSE, **complaint(client_id))
        live = await heard(fed, updates)
    # Then it hears of the complaints from the moment it is back (its cursor named no place
    # among them), with the counts whole
    assert replayed == []
    assert live == "COMPLAINTS 3/0"


async def _many_changes_while_away(clinic_id: str) -> None:
    """More of the clinic's complaint changes than a replay says."""
    at = datetime.now(UTC)
    await ComplaintChange.bulk_create(
        [
            ComplaintChange(clinic_id=clinic_id, complaint_id=f"c-{n}", kind="RECORDED", at=at)
            for n in range(REPLAY_AT_MOST + 1)
        ]
    )


def _from_beyond_the_log(cursor: str) -> str:
    """The cursor with its place among the complaints moved past the log's end (a restored
    database's)."""
    journeys = opened(cursor, "BoardUpdate")
    assert journeys.extra is not None
    _ids, _, moment = journeys.extra.partition("|")
    return dataclasses.replace(journeys, extra=f"{2**31 - 1}|{moment}").encode(KEYS)


@pytest.mark.parametrize("away", ["past a replay", "beyond the log"])
async def test_a_board_that_cannot_hear_the_complaints_it_missed_is_told_to_read_again(
    fed_by_hand: Fed, away: str
) -> None:
    # Given a supervisor whose board said a complaint was recorded, then lost its connection
    driver, fed = fed_by_hand
    token, client_id = driver.token(Role.SUPERVISOR), await driver.register_client()
    watch = fed.api.subscription(BOARD, token, clinicId=fed.clinic_id)
    async with reading(watch, "supervisorBoard") as updates:
        await fed.watching()
        await taken(driver, Role.FRONT_DESK, **complaint(client_id))
        await fed.feed.poll_once()
        cursor = (await updates.next())["cursor"]
    await gone(fed)
    # When more complaint changes came meanwhile than a replay says, or its cursor names a
    # place beyond the log
    if away == "past a replay":
        await _many_changes_while_away(fed.clinic_id)
    else:
        cursor = _from_beyond_the_log(cursor)
    back = fed.api.subscription(BOARD, token, clinicId=fed.clinic_id, after=cursor)
    async with reading(back, "supervisorBoard") as updates:
        await gone(fed, listeners=1)
        told = await said_until_marker(fed, updates)
    # Then it is told once to read the board again, and hears the live changes after
    assert told == ["RESYNC -"]


@pytest.mark.parametrize(
    "after", ["garbage|1", "5|x", "5|5.9|1", "5|3|-1", "5|3", "5|3|99999999999999999999"]
)
async def test_a_board_cursor_with_a_complaint_place_not_from_this_board_is_refused(
    fed_by_hand: Fed, after: str
) -> None:
    driver, fed = fed_by_hand
    # (sealed as the server seals, or in the plain form of the earlier release: read alike)
    for cursor in (sealed("BoardUpdate", after), encode_id("BoardUpdate", after)):
        board = fed.api.subscription(
            BOARD, driver.token(Role.SUPERVISOR), clinicId=fed.clinic_id, after=cursor
        )
        async with reading(board, "supervisorBoard") as updates:
            assert await _refusal(updates) == [{"code": "VALIDATION_FAILED"}], cursor


@pytest.mark.parametrize("role", NOT_SUPERVISORS, ids=[role.value for role in NOT_SUPERVISORS])
async def test_staff_who_may_not_read_the_complaint_counts_are_refused_them(
    fed_by_hand: Fed, role: Role
) -> None:
    driver, fed = fed_by_hand
    board = fed.api.subscription(BOARD, driver.token(role), clinicId=fed.clinic_id)
    async with reading(board, "supervisorBoard") as updates:
        assert await _refusal(updates) == [{"code": "NOT_AUTHORIZED"}]


@pytest.fixture
def desk_watches_the_board() -> Iterator[None]:
    """The permission table as it would be were the desk to watch the board, and not to read
    the clinic's complaint counts."""
    with pytest.MonkeyPatch.context() as patch:
        board = of_roles(Role.SUPERVISOR, Role.FRONT_DESK)
        patch.setitem(SUBSCRIPTIONS, "supervisorBoard", board)
        for field in ("change", "journey", "stuckReasonCode", "stats", "cursor"):
            patch.setitem(TYPES["BoardUpdate"], field, board)
        yield


@pytest.mark.usefixtures("desk_watches_the_board")
async def test_a_role_that_may_watch_the_board_but_not_read_the_counts_hears_no_complaint(
    fed_by_hand: Fed,
) -> None:
    driver, fed = fed_by_hand
    token, client_id = driver.token(Role.FRONT_DESK), await driver.register_client()
    # When the desk asks its board for the complaint counts, it is refused
    asking = fed.api.subscription(BOARD, token, clinicId=fed.clinic_id)
    async with reading(asking, "supervisorBoard") as updates:
        assert await _refusal(updates) == [{"code": "NOT_AUTHORIZED"}]
    # and watching it without them, it hears the journeys and not a complaint recorded
    watch = fed.api.subscription(BOARD_AS_BEFORE, token, clinicId=fed.clinic_id)
    async with reading(watch, "supervisorBoard") as updates:
        await fed.watching()
        await taken(driver, Role.FRONT_DESK, **complaint(client_id))
        before, marker = await until_marker(fed, updates)
    assert before == []
    assert marker["change"] == "MOVED"
