"""Why a journey is stuck, as a code beside the words (`StuckJourney.reasonCode`): one per rule
of `domain.journey.sla`, so a screen groups, translates and filters by it. Through the real
server: hours and days are not waited for, so each journey entered its stage or had its call
fall due long ago, and its workflow marked it stuck at its deadline, its row written as the
read model's writer writes it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from domain.journey.followups import DAY
from domain.journey.stages import FollowUpOutcome, Stage
from domain.store.models import Journey
from domain.store.projection import journey_values
from schema.ids import encode_id
from tests.api.stuck_support import (
    FreshClinic,
    call_due,
    codes,
    facts_in,
    mark_stuck,
    marked_stuck,
)


async def test_each_rule_that_makes_a_journey_stuck_has_its_code(fresh_clinic: FreshClinic) -> None:
    # Given journeys stuck by each rule: consent waited past its three days; a 24 h call not
    # made within the first day; the same call in a run started before the windows (a day past
    # its due time); a 3-day call a day past due; a call tried three times unanswered
    clinic = await fresh_clinic()
    now = datetime.now(UTC)
    consent = await marked_stuck(
        await facts_in(clinic, Stage.CONSENT, stage_entered_at=now - timedelta(days=4))
    )
    window = await marked_stuck(await call_due(clinic, now - timedelta(hours=25), DAY))
    before_windows = await call_due(clinic, now - timedelta(hours=49), DAY)
    before_windows.follow_up_call_windows = False
    legacy = await marked_stuck(before_windows)
    three_days = await marked_stuck(await call_due(clinic, now - timedelta(days=5), 3 * DAY))
    unanswered = await marked_stuck(
        await call_due(
            clinic,
            now - timedelta(days=8),
            7 * DAY,
            attempts=3,
            outcome=FollowUpOutcome.NOT_REACHED,
        )
    )
    # When a supervisor reads the stuck journeys
    read = await codes(clinic)
    # Then each says its rule as a code, beside the words it says it in
    assert read == {
        consent: ("CONSENT", "STAGE_OVERDUE", "CONSENT for more than 3 day(s)"),
        window: (
            "FOLLOW_UP",
            "FOLLOW_UP_CALL_WINDOW_MISSED",
            "follow-up 24h not made within 24 hours of the treatment",
        ),
        legacy: ("FOLLOW_UP", "FOLLOW_UP_CALL_OVERDUE", "follow-up 24h overdue by more than a day"),
        three_days: (
            "FOLLOW_UP",
            "FOLLOW_UP_CALL_OVERDUE",
            "follow-up 3d overdue by more than a day",
        ),
        unanswered: (
            "FOLLOW_UP",
            "FOLLOW_UP_CALLS_UNANSWERED",
            "follow-up 1w: three unanswered calls",
        ),
    }


async def test_the_code_stays_the_rule_that_made_it_stuck_while_another_holds_too(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey stuck as its 24 h call was not made within the first day, then its call
    # tried three times without reaching the client (it stays stuck, with the same words)
    clinic = await fresh_clinic()
    now = datetime.now(UTC)
    facts = await call_due(clinic, now - timedelta(hours=30), DAY)
    mark_stuck(facts)
    (call,) = facts.follow_ups
    facts.follow_ups = [dataclasses.replace(call, attempts=3, outcome=FollowUpOutcome.NOT_REACHED)]
    await Journey.create(id=facts.journey_id, **journey_values(facts))
    # When a supervisor reads the stuck journeys
    read = await codes(clinic)
    # Then the code is the window's, as the words are
    assert read == {
        encode_id("Journey", facts.journey_id): (
            "FOLLOW_UP",
            "FOLLOW_UP_CALL_WINDOW_MISSED",
            "follow-up 24h not made within 24 hours of the treatment",
        )
    }


async def test_a_journey_shows_the_code_it_was_marked_stuck_with_whatever_its_words_read_as(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey marked stuck as its 24 h call was not made within the first day, its
    # words since said as a rule reworded would say them (words that read as a call overdue)
    clinic = await fresh_clinic()
    now = datetime.now(UTC)
    reworded = await marked_stuck(
        await call_due(clinic, now - timedelta(hours=30), DAY),
        words="follow-up 24h missed its first-day window",
    )
    # And a journey marked stuck before the code was kept: its row holds the words alone
    old = await marked_stuck(
        await call_due(clinic, now - timedelta(hours=30), DAY), code_kept=False
    )
    # When a supervisor reads the stuck journeys
    read = await codes(clinic)
    # Then the first shows the code of the rule that fired, beside its words; the other reads
    # as its words say
    assert read == {
        reworded: (
            "FOLLOW_UP",
            "FOLLOW_UP_CALL_WINDOW_MISSED",
            "follow-up 24h missed its first-day window",
        ),
        old: (
            "FOLLOW_UP",
            "FOLLOW_UP_CALL_WINDOW_MISSED",
            "follow-up 24h not made within 24 hours of the treatment",
        ),
    }
