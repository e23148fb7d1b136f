"""After-care rules: who a call is for, when it is retried, what escalates, survey scores,
warranty periods and the follow-up plan's tiers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.aftercare import survey
from domain.aftercare.plan import FollowUpPlanStep, default_plan, plan_step_for
from domain.aftercare.tasks import (
    FollowUpAssignee,
    TaskStatus,
    call_assignment,
    call_due_at,
    call_status,
    is_escalated,
    is_overdue,
)
from domain.aftercare.warranty import (
    DEFAULT_TERMS,
    WarrantyTerms,
    card_number,
    covers,
    ends_at,
    last_day,
    terms_for,
)
from domain.journey.facts import FollowUp
from domain.journey.followups import DAY, DEFAULT_FOLLOW_UP_OFFSETS
from domain.journey.stages import FollowUpOutcome, FollowUpStatus
from domain.roles import Role

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _call(attempts: int = 0, outcome: FollowUpOutcome | None = None) -> FollowUp:
    status = FollowUpStatus.DONE if outcome is FollowUpOutcome.REACHED else FollowUpStatus.DUE
    return FollowUp("fu-1", "24h", T0, status=status, attempts=attempts, outcome=outcome)


def test_calls_go_to_the_role_the_clinic_chose_and_after_three_misses_to_a_supervisor() -> None:
    staff, owner = FollowUpAssignee.FOLLOW_UP_STAFF, FollowUpAssignee.OWNING_CONSULTANT
    assert call_assignment(_call(), "c1", staff).role is Role.FOLLOW_UP_STAFF
    assert call_assignment(_call(), "c1", staff).account_id is None
    mine = call_assignment(_call(), "c1", owner)
    assert (mine.role, mine.account_id) == (Role.CONSULTANT, "c1")
    # No owner on record: the clinic's follow-up staff, not nobody.
    assert call_assignment(_call(), None, owner).role is Role.FOLLOW_UP_STAFF
    missed = FollowUpOutcome.NOT_REACHED
    assert call_assignment(_call(2, missed), "c1", owner).role is Role.CONSULTANT
    assert not is_escalated(_call(2, missed))
    third = call_assignment(_call(3, missed), "c1", owner)
    assert (third.role, third.account_id) == (Role.SUPERVISOR, None)
    assert is_escalated(_call(3, missed))
    assert not is_escalated(_call(3, FollowUpOutcome.REACHED))


def test_a_missed_call_is_retried_after_a_growing_wait() -> None:
    missed_at = T0 + timedelta(hours=5)
    missed = FollowUpOutcome.NOT_REACHED
    assert call_due_at(_call(), None) == T0
    assert call_due_at(_call(1, missed), missed_at) == missed_at + timedelta(hours=2)
    assert call_due_at(_call(2, missed), missed_at) == missed_at + timedelta(hours=24)
    assert call_due_at(_call(5, missed), missed_at) == missed_at + timedelta(hours=24)
    assert call_status(_call(1, missed)) is TaskStatus.OPEN
    assert call_status(_call(1, FollowUpOutcome.REACHED)) is TaskStatus.DONE


def test_overdue_means_past_due_by_more_than_the_clinic_allows() -> None:
    grace = timedelta(hours=24)
    assert not is_overdue(T0, T0 + timedelta(hours=23), grace)
    assert is_overdue(T0, T0 + timedelta(hours=24), grace)
    assert is_overdue(T0, T0, timedelta(0))


def test_survey_scores_are_bounded_and_low_ones_are_named() -> None:
    good = {"impression": 5, "trustInDoctor": 4, "priceJustified": 3, "quality": 5}
    assert survey.score_problems(good) == []
    assert survey.low_scores(good) == []
    bad = {**good, "quality": 0, "impression": 6}
    assert [p.field for p in survey.score_problems(bad)] == ["impression", "quality"]
    low = {**good, "trustInDoctor": 2, "priceJustified": 1}
    assert survey.low_scores(low) == ["trustInDoctor", "priceJustified"]
    summary = survey.averages([good, low])
    assert summary.responses == 2
    assert summary.low_responses == 1
    assert summary.scores["trustInDoctor"] == 3.0
    assert survey.averages([]).scores["quality"] is None
    groups = survey.grouped([("dr-b", good), ("dr-a", low), ("dr-b", low)])
    assert list(groups) == ["dr-a", "dr-b"]
    assert groups["dr-b"].responses == 2


def test_a_warranty_covers_its_last_day_whole_in_the_clinic_s_calendar() -> None:
    # Given a filler treated on 5 January at 10:00 in Warsaw, with a 182-day warranty: its
    # leaflet says "valid until 2026-07-06"
    warsaw = ZoneInfo("Europe/Warsaw")
    treated = datetime(2026, 1, 5, 10, 0, tzinfo=warsaw)
    end = ends_at(treated, 182, warsaw)
    # Then a claim that afternoon, and up to its last moment, is covered; the next day is not
    assert covers(end, datetime(2026, 7, 6, 15, 0, tzinfo=warsaw), warsaw)
    assert covers(end, datetime(2026, 7, 6, 23, 59, 59, tzinfo=warsaw), warsaw)
    assert not covers(end, datetime(2026, 7, 7, 0, 0, 0, tzinfo=warsaw), warsaw)
    # And a card issued when it ended at the treatment's hour covers that afternoon too
    old_card = datetime(2026, 7, 6, 10, 0, tzinfo=warsaw)
    assert covers(old_card, datetime(2026, 7, 6, 15, 0, tzinfo=warsaw), warsaw)
    assert not covers(old_card, datetime(2026, 7, 7, 0, 0, 1, tzinfo=warsaw), warsaw)
    assert last_day(end, warsaw) == date(2026, 7, 6)
    # And a treatment late in the evening in Shanghai counts from its local day, not UTC's
    shanghai = ZoneInfo("Asia/Shanghai")
    evening = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)  # 15:30 there; 1 March in both
    late = datetime(2026, 2, 28, 17, 30, tzinfo=UTC)  # 01:30 on 1 March there
    assert last_day(ends_at(evening, 365, shanghai), shanghai) == date(2027, 3, 1)
    assert last_day(ends_at(late, 365, shanghai), shanghai) == date(2027, 3, 1)
    assert covers(ends_at(T0, 365, UTC), T0 + timedelta(days=365, hours=14), UTC)
    number = card_number("4f0e9d7e-6a7f-2f0c-9a11-000000000000", T0)
    assert number == "W-202603-4F0E9D7E6A"
    assert card_number("journey-4f0e9d7e-6a7f-2f0c-9a11-000000000000", T0) == number
    long = card_number("4f0e9d7e-6a7f-2f0c-9a11-000000000000", T0, digits=23)
    assert long == "W-202603-4F0E9D7E6A7F2F0C9A11000" and len(long) == 32
    # A procedure type's warranty wins over the clinic's; one of 0 days gives none of its own.
    assert terms_for(365, None) == WarrantyTerms(365, DEFAULT_TERMS)
    assert terms_for(365, "x", WarrantyTerms(730, "two years")) == WarrantyTerms(730, "two years")
    assert terms_for(365, "x", WarrantyTerms(0, "")) == WarrantyTerms(365, "x")


def test_the_default_plan_follows_the_seed_tiers() -> None:
    plan = default_plan(DEFAULT_FOLLOW_UP_OFFSETS)
    assert [step.label for step in plan] == ["24h", "3d", "1w", "2w", "1m", "3m", "6m", "1y"]
    assert plan[0].purpose == "check the reaction and the discomforts"
    assert plan[4].purpose == "check the result taking shape"
    assert plan[-1].purpose == "check the lasting result and invite a recheck"
    assert all(step.questions and step.channel == "PHONE" for step in plan)
    step = plan_step_for("1w", list(DEFAULT_FOLLOW_UP_OFFSETS))
    assert step is not None and step.offset_seconds == 7 * DAY
    assert plan_step_for("5d", list(DEFAULT_FOLLOW_UP_OFFSETS)) is None
    # A procedure type's own plan replaces the default one.
    own = [FollowUpPlanStep(5 * DAY, "VISIT", "suture check", ("Any redness?",))]
    assert plan_step_for("5d", [], own) == own[0]
