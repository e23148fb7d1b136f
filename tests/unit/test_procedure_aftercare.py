"""A procedure type's after-care: its follow-up plan, warranty and photo schedule replace the
defaults; photo reminders and the photos that settle them."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from domain.aftercare.photo_reminders import OpenReminder, reminders_for, settled_by, stage_for
from domain.aftercare.plan import FollowUpPlanStep, plan_of, plan_step_for
from domain.aftercare.warranty import DEFAULT_TERMS, WarrantyTerms, procedure_warranty, terms_for
from domain.journey.followups import DAY, DEFAULT_FOLLOW_UP_OFFSETS, label_for
from domain.photos.purposes import PhotoStage
from domain.procedures.photo_points import DUE_DAYS, due_problem
from domain.procedures.template import PhotoPoint
from server.procedure_seeds import BLEPHAROPLASTY

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_a_procedure_types_plan_gives_each_call_its_channel_purpose_and_questions() -> None:
    plan = plan_of(BLEPHAROPLASTY)
    assert plan is not None
    offsets = BLEPHAROPLASTY.follow_up_offsets()
    assert [s.label for s in plan] == ["24h", "1w", "2w", "1m", "3m", "6m", "1y"]
    first = plan_step_for("24h", offsets, plan)
    assert first is not None
    assert (first.channel, first.purpose, first.questions) == (
        "PHONE",
        "After the first night",
        ("Pain, bleeding, swelling?",),
    )
    sutures = plan_step_for("1w", offsets, plan)
    assert sutures is not None
    assert (sutures.channel, sutures.purpose) == ("VISIT", "Suture removal and dressing")
    # No type (or a type that plans nothing): the seed-002 tiers of the offsets, as before.
    assert plan_of(None) is None
    assert plan_of(dataclasses.replace(BLEPHAROPLASTY, follow_ups=[])) is None
    default = plan_step_for("24h", list(DEFAULT_FOLLOW_UP_OFFSETS), plan_of(None))
    assert default is not None and default.purpose == "check the reaction and the discomforts"


def test_a_procedure_types_warranty_wins_over_the_clinics() -> None:
    own = procedure_warranty(BLEPHAROPLASTY)
    assert own == WarrantyTerms(BLEPHAROPLASTY.warranty_days, BLEPHAROPLASTY.warranty_terms["en"])
    assert terms_for(365, "clinic terms", own) == own
    none = dataclasses.replace(BLEPHAROPLASTY, warranty_days=0)
    assert procedure_warranty(none) is None
    assert terms_for(180, None, procedure_warranty(none)) == WarrantyTerms(180, DEFAULT_TERMS)
    no_english = dataclasses.replace(BLEPHAROPLASTY, warranty_terms={"pl": "Gwarancja"})
    days = BLEPHAROPLASTY.warranty_days
    assert procedure_warranty(no_english) == WarrantyTerms(days, "Gwarancja")


def test_the_photo_schedule_becomes_reminders_due_from_the_treatment() -> None:
    reminders = reminders_for(BLEPHAROPLASTY.photo_schedule, T0)
    assert [(r.code, r.stage, r.due_at - T0) for r in reminders] == [
        ("before", PhotoStage.BEFORE, timedelta(0)),
        ("suture_removal", PhotoStage.SUTURE_REMOVAL, timedelta(days=7)),
        ("month_3", PhotoStage.THREE_MONTHS, timedelta(days=91)),
        ("year_1", PhotoStage.ONE_YEAR, timedelta(days=365)),
    ]
    # A clinic's own code is an OTHER photo, except at offset 0: the photo before.
    assert stage_for(PhotoPoint("week_2", 14)) is PhotoStage.OTHER
    assert stage_for(PhotoPoint("pre_op", 0)) is PhotoStage.BEFORE


def test_photos_settle_their_stages_reminders_earliest_first() -> None:
    def reminder(task: str, stage: PhotoStage, days: int, done: bool = False) -> OpenReminder:
        return OpenReminder(task, stage, T0 + timedelta(days=days), done)

    reminders = [
        reminder("before", PhotoStage.BEFORE, 0),
        reminder("week_2", PhotoStage.OTHER, 14),
        reminder("month_1", PhotoStage.OTHER, 30),
        reminder("year_1", PhotoStage.ONE_YEAR, 365),
    ]
    assert settled_by(reminders, {}) == []
    assert settled_by(reminders, {PhotoStage.BEFORE: 2, PhotoStage.OTHER: 1}) == [
        "before",
        "week_2",
    ]
    # Settling again settles nothing new: a done reminder keeps its photo.
    again = [dataclasses.replace(r, done=r.task_id in {"before", "week_2"}) for r in reminders]
    assert settled_by(again, {PhotoStage.BEFORE: 1, PhotoStage.OTHER: 1}) == []
    assert settled_by(again, {PhotoStage.OTHER: 2, PhotoStage.AFTER: 1}) == ["month_1"]


def test_each_follow_up_gets_its_own_step_though_their_labels_round_alike() -> None:
    # Given a plan with a phone call at 30 days and a visit at 42 days (both labelled "1m")
    plan = [
        FollowUpPlanStep(30 * DAY, "PHONE", "one month call", ("How is it?",)),
        FollowUpPlanStep(42 * DAY, "VISIT", "six-week check", ("Come in",)),
    ]
    offsets = [42 * DAY, 30 * DAY]
    assert {step.label for step in plan} == {"1m"}
    # Then the journey's second follow-up (fu-2, at 42 days) is the visit, the first the call
    visit = plan_step_for("1m", offsets, plan, follow_up_id="fu-2")
    call = plan_step_for("1m", offsets, plan, follow_up_id="fu-1")
    assert visit is not None and (visit.channel, visit.purpose) == ("VISIT", "six-week check")
    assert call is not None and call.channel == "PHONE"
    # And an id of another shape, or past the plan, falls back to the label
    assert plan_step_for("1m", offsets, plan, follow_up_id="fu-9") == plan[0]
    assert plan_step_for("1m", offsets, plan, follow_up_id="legacy") == plan[0]


def test_the_days_a_seed_moment_s_photo_is_due_on_are_those_its_label_names() -> None:
    # The three months' photo is due on the days a follow-up is labelled "3m", the year's "1y"
    for stage, label in ((PhotoStage.THREE_MONTHS, "3m"), (PhotoStage.ONE_YEAR, "1y")):
        labelled = [d for d in range(367) if label_for(d * DAY) == label]
        assert labelled == list(DUE_DAYS[stage][0])
        assert due_problem(stage, labelled[0] - 1) is not None
        assert due_problem(stage, labelled[-1]) is None
    # And the photo before on the day; the suture removal's and the clinic's own whenever
    assert due_problem(PhotoStage.BEFORE, 0) is None
    assert due_problem(PhotoStage.BEFORE, 1) is not None
    assert due_problem(PhotoStage.SUTURE_REMOVAL, 40) is None
    assert due_problem(None, 200) is None
