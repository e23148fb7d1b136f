"""`stuckJourneys(reasonCode:)` lists the journeys stuck by one rule, filtered in the database
and paged as the whole list is: by the code each journey keeps, or, for a journey marked stuck
before the code was kept, by what its words read as (`domain.journey.stuck_words`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.journey.followups import DAY
from domain.journey.stages import FollowUpOutcome, Stage
from domain.journey.stuck_reasons import StuckReason
from tests.api.flow import JourneyDriver
from tests.api.stuck_support import (
    FreshClinic,
    call_due,
    codes,
    facts_in,
    marked_stuck,
    stuck_page,
)

UNANSWERED = {"attempts": 3, "outcome": FollowUpOutcome.NOT_REACHED}


async def _stuck_by_each_rule(clinic: JourneyDriver) -> dict[str, set[str]]:
    """Journeys of the clinic stuck by each rule, each rule's with its code kept and without
    (marked before the code was kept); the ids each code lists."""
    now = datetime.now(UTC)
    by_code: dict[str, set[str]] = {code.value: set() for code in StuckReason}
    for kept in (True, False):
        consent = await facts_in(clinic, Stage.CONSENT, stage_entered_at=now - timedelta(days=4))
        payment = await facts_in(clinic, Stage.PAYMENT, stage_entered_at=now - timedelta(days=3))
        window = await call_due(clinic, now - timedelta(hours=25), DAY)
        late = await call_due(clinic, now - timedelta(hours=49), DAY)
        late.follow_up_call_windows = False  # a run from before the windows: a day late
        three_days = await call_due(clinic, now - timedelta(days=5), 3 * DAY)
        tried = await call_due(clinic, now - timedelta(days=8), 7 * DAY, **UNANSWERED)
        stuck = {
            StuckReason.STAGE_OVERDUE: [consent, payment],
            StuckReason.FOLLOW_UP_CALL_WINDOW_MISSED: [window],
            StuckReason.FOLLOW_UP_CALL_OVERDUE: [late, three_days],
            StuckReason.FOLLOW_UP_CALLS_UNANSWERED: [tried],
        }
        for code, journeys in stuck.items():
            for facts in journeys:
                by_code[code.value].add(await marked_stuck(facts, code_kept=kept))
    return by_code


async def test_each_code_lists_the_journeys_stuck_by_its_rule(fresh_clinic: FreshClinic) -> None:
    # Given journeys stuck by each rule, with their code kept and from before it was kept
    clinic = await fresh_clinic()
    expected = await _stuck_by_each_rule(clinic)
    # And a journey stuck as its 24 h call missed its window, whose words read otherwise (as
    # three unanswered calls): it keeps the window's code
    reworded = await call_due(clinic, datetime.now(UTC) - timedelta(hours=26), DAY)
    reworded_id = await marked_stuck(reworded, words="follow-up 24h: three unanswered calls")
    expected[StuckReason.FOLLOW_UP_CALL_WINDOW_MISSED.value].add(reworded_id)
    everything = await codes(clinic, first=100)
    assert len(everything) == 13
    for code in StuckReason:
        # When a supervisor lists the journeys stuck by the rule
        listed = await codes(clinic, reasonCode=code.name, first=100)
        # Then exactly those are listed, each showing the code
        assert set(listed) == expected[code.value], code
        assert {row[1] for row in listed.values()} == {code.value}


async def test_a_filtered_list_pages_as_the_whole_list_does(fresh_clinic: FreshClinic) -> None:
    # Given journeys stuck by each rule, twice over
    clinic = await fresh_clinic()
    expected = await _stuck_by_each_rule(clinic)
    overdue = StuckReason.FOLLOW_UP_CALL_OVERDUE
    whole = list(await codes(clinic, first=100))  # longest over first
    in_order = [journey for journey in whole if journey in expected[overdue.value]]
    assert len(in_order) == 4
    # When a supervisor pages through the calls overdue one at a time
    seen: list[str] = []
    more: list[bool] = []
    after = None
    for _ in range(5):
        page = await stuck_page(clinic, reasonCode=overdue.name, first=1, after=after)
        seen += [edge["node"]["journey"]["id"] for edge in page["edges"]]
        more.append(page["pageInfo"]["hasNextPage"])
        after = page["pageInfo"]["endCursor"]
        if not more[-1]:
            break
    # Then each comes once, in the whole list's order, and the last page says it is the last
    assert seen == in_order
    assert more == [True, True, True, False]
