"""The procedure type rules: what a version must hold, the follow-up tiers, the checklist gate,
pinning a version on a journey, and the leaflet's content."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from domain.errors import FieldProblemCode
from domain.journey.effects import _approve
from domain.journey.facts import ActionDetails, JourneyFacts
from domain.journey.stages import ArrivalChannel, VisitCategory
from domain.procedures.checklist import counts_on, open_items, result_problem
from domain.procedures.leaflet import compose
from domain.procedures.prescriptions import prescription_problem
from domain.procedures.template import (
    DAY,
    HOUR,
    RESULT_NEEDED,
    SURGERY_PHOTOS,
    SURGICAL_CHECKS,
    ChecklistItem,
    FollowUpTier,
    ProcedureAnaesthesia,
    ProcedureCategory,
    ProcedureContent,
    check_content,
    content_hash,
    tier_of,
)
from server.procedure_seeds import BLEPHAROPLASTY, DEMO_TYPES, FILLER


@pytest.mark.parametrize(
    ("offset", "tier"),
    [
        (HOUR - 1, None),
        (HOUR, FollowUpTier.SHORT),
        (23 * HOUR, FollowUpTier.SHORT),
        (24 * HOUR, FollowUpTier.SHORT),
        (7 * DAY, FollowUpTier.SHORT),
        (14 * DAY, FollowUpTier.MID),
        (31 * DAY, FollowUpTier.MID),
        (91 * DAY, FollowUpTier.LONG),
        (365 * DAY, FollowUpTier.LONG),
        (367 * DAY, None),
    ],
)
def test_follow_ups_fall_in_the_seed_tiers_from_within_24_hours_to_a_year(
    offset: int, tier: FollowUpTier | None
) -> None:
    assert tier_of(offset) is tier


def test_the_demo_types_pass_the_rules_and_surgery_has_the_photo_schedule() -> None:
    for type_key, content in DEMO_TYPES.items():
        assert check_content(type_key, content) == []
    photos = [(p.code, p.offset_days) for p in BLEPHAROPLASTY.photo_schedule]
    assert photos == [("before", 0), ("suture_removal", 7), ("month_3", 91), ("year_1", 365)]


def test_surgery_without_its_labs_is_refused_naming_each_missing_check() -> None:
    surgery_as_filler = dataclasses.replace(
        FILLER,
        category=ProcedureCategory.SURGERY,
        anaesthesia=ProcedureAnaesthesia.LOCAL,
        photo_schedule=BLEPHAROPLASTY.photo_schedule,
    )
    fields = {(p.field, p.message) for p in check_content("lift", surgery_as_filler)}
    missing = (*SURGICAL_CHECKS, "bladder_bowels_emptied")
    assert fields == {("checklist", f"'{code}' is required for this category") for code in missing}


def test_every_category_educates_the_client_before_treating() -> None:
    # Seed 002 4.1: the education before a treatment ("术前(治疗前)宣教") is every treatment's
    for category in ProcedureCategory:
        content = dataclasses.replace(
            BLEPHAROPLASTY,
            category=category,
            checklist=[i for i in BLEPHAROPLASTY.checklist if i.code != "preop_education"],
        )
        problems = {(p.field, p.message) for p in check_content("any", content)}
        assert ("checklist", "'preop_education' is required for this category") in problems


def test_vital_signs_and_the_emptied_bladder_count_on_the_day_the_examination_days_ahead() -> None:
    monday, wednesday = date(2026, 3, 2), date(2026, 3, 4)
    for code in ("vital_signs", "bladder_bowels_emptied", "identity_verified"):
        assert not counts_on(code, monday, wednesday)
        assert counts_on(code, wednesday, wednesday)
    for code in ("general_examination", "preop_education", "lab_blood"):
        assert counts_on(code, monday, wednesday)


def test_a_surgery_records_the_findings_of_its_checks_and_has_photos_before_and_after() -> None:
    # Seed 003: the labs' and the examination's findings are recorded, the symmetry too; a
    # photo before the operation and after it
    unrecorded = [
        dataclasses.replace(item, needs_result=False) if item.code in RESULT_NEEDED else item
        for item in BLEPHAROPLASTY.checklist
    ]
    before_only = [point for point in BLEPHAROPLASTY.photo_schedule if point.offset_days == 0]
    broken = dataclasses.replace(BLEPHAROPLASTY, checklist=unrecorded, photo_schedule=before_only)
    problems = {(p.field, p.message) for p in check_content("bleph", broken)}
    # Then each of those checks is named, and the schedule
    indices = [i for i, item in enumerate(unrecorded) if item.code in RESULT_NEEDED]
    assert len(indices) == len(RESULT_NEEDED)
    assert problems == {
        *((f"checklist[{i}].needsResult", "records its result") for i in indices),
        ("photoSchedule", SURGERY_PHOTOS),
    }
    # And a photo before with one at the suture removal only is refused too: seed 003 asks for
    # one at three months and one at a year, once the result has settled
    to_sutures = [
        p for p in BLEPHAROPLASTY.photo_schedule if p.code in ("before", "suture_removal")
    ]
    short = dataclasses.replace(BLEPHAROPLASTY, photo_schedule=to_sutures)
    assert [(p.field, p.message) for p in check_content("bleph", short)] == [
        ("photoSchedule", SURGERY_PHOTOS)
    ]


def test_a_version_needs_every_language_and_follow_ups_within_the_tiers() -> None:
    broken = dataclasses.replace(
        FILLER,
        names={k: v for k, v in FILLER.names.items() if k != "zh"},
        follow_ups=[dataclasses.replace(FILLER.follow_ups[0], offset_seconds=HOUR // 2)],
        discomfort={**FILLER.discomfort, "de": FILLER.discomfort["en"]},
        checklist=[*FILLER.checklist, FILLER.checklist[0]],
    )
    problems = {(p.field, p.message) for p in check_content("Bad Key", broken)}
    assert problems == {
        ("typeKey", "1 to 100 of a-z, 0-9, '.', '_' or '-'"),
        ("names", "the text in 'zh' is missing"),
        ("followUps[0].offsetHours", "1 h to 1 year"),
        ("discomfort", "one of pl, ru, zh, en: 'de'"),
        ("checklist", "each code once"),
    }


def test_content_survives_its_json_form_and_the_hash_names_the_version() -> None:
    again = ProcedureContent.from_json(BLEPHAROPLASTY.to_json())
    assert again == BLEPHAROPLASTY
    assert content_hash("bleph", 1, again) == content_hash("bleph", 1, BLEPHAROPLASTY)
    assert content_hash("bleph", 2, again) != content_hash("bleph", 1, again)


def test_an_item_needing_a_result_stays_open_until_it_has_one() -> None:
    items = [ChecklistItem("identity_verified", "id"), ChecklistItem("lab_ecg", "ECG", True)]
    assert open_items(items, {}) == ["identity_verified", "lab_ecg"]
    assert open_items(items, {"identity_verified": None, "lab_ecg": "  "}) == ["lab_ecg"]
    assert open_items(items, {"identity_verified": None, "lab_ecg": "sinus rhythm"}) == []
    assert result_problem(items[1], None) == "this item needs its result"
    assert result_problem(None, "x") == "not an item of this journey's checklist"
    assert result_problem(items[0], None) is None


def test_approving_a_plan_pins_the_version_and_its_follow_up_plan() -> None:
    facts = JourneyFacts(
        journey_id="j",
        clinic_id="c",
        client_id="cl",
        visit_category=VisitCategory.FIRST_VISIT,
        channel=ArrivalChannel.WALK_IN,
        client_is_minor=False,
        started_at=datetime(2026, 1, 1, tzinfo=UTC),
        follow_up_offsets=[DAY],
    )
    offsets = BLEPHAROPLASTY.follow_up_offsets()
    details = ActionDetails(procedure_type_version_id="v-1", follow_up_offsets=offsets)
    _approve(facts, details, datetime(2026, 1, 2, tzinfo=UTC))
    assert (facts.procedure_type_version_id, facts.follow_up_offsets) == ("v-1", offsets)
    # A plan naming no type leaves the clinic's default schedule alone.
    plain = dataclasses.replace(facts, procedure_type_version_id=None, follow_up_offsets=[DAY])
    _approve(plain, ActionDetails(), datetime(2026, 1, 2, tzinfo=UTC))
    assert (plain.procedure_type_version_id, plain.follow_up_offsets) == (None, [DAY])


def test_the_leaflet_takes_the_handover_adjustments_and_dates_the_warranty() -> None:
    adjusted = {"normal": "  Obrzęk przez 2 dni.  ", "call_now": "", "language": "pl"}
    leaflet = compose(FILLER, "pl", date(2026, 3, 1), adjusted)
    assert leaflet.notes["normal"] == "Obrzęk przez 2 dni."
    assert leaflet.notes["call_now"] == FILLER.discomfort["pl"]["call_now"]
    assert leaflet.page.subtitle == FILLER.names["pl"]
    heading, warranty = leaflet.page.sections[-1]
    assert heading == "Gwarancja"
    assert warranty.startswith("Gwarancja ważna do 2026-08-30.")
    assert len(leaflet.page.sections) == 6


def test_a_surgery_names_her_medicines_or_why_none_and_the_leaflet_lists_them() -> None:
    surgery = ProcedureCategory.SURGERY
    neither = prescription_problem("prescriptions", surgery, 0, reason_given=False)
    assert neither is not None and neither.code is FieldProblemCode.REQUIRED
    assert prescription_problem("prescriptions", surgery, 2, reason_given=False) is None
    assert prescription_problem("prescriptions", surgery, 0, reason_given=True) is None
    both = prescription_problem("prescriptions", surgery, 1, reason_given=True)
    assert both is not None and both.code is FieldProblemCode.INCONSISTENT
    injectables = ProcedureCategory.INJECTABLES
    assert prescription_problem("prescriptions", injectables, 0, reason_given=False) is None
    given = [{"medicine": "amoxicillin", "dose": "500 mg", "frequency": "co 8 godzin", "days": 5}]
    leaflet = compose(FILLER, "pl", date(2026, 3, 1), prescriptions=given)
    assert ("Leki do domu", "amoxicillin 500 mg: co 8 godzin, 5 dni") in leaflet.page.sections
    assert "Leki do domu" not in [name for name, _ in compose(FILLER, "pl", None).page.sections]
