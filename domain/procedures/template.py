"""What a procedure type version holds, and the rules a new version must pass.

A clinic describes each kind of treatment it offers (skin care, injectables, energy devices,
surgery) once: the checks before it (DOMAIN.md stage 7), the follow-up plan within the tiers of
seed 002 §5, the photo schedule of seed 003 (before, suture removal, 3 months, 1 year), the
discomfort notes in the shape of seed 001 and the warranty ("Гарантии"). Versions are never
changed: a new text is a new version, and a journey keeps the version its plan named.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.photos.purposes import PhotoStage
from domain.procedures.photo_points import due_problem
from domain.text import text_problem

LANGUAGES = ("pl", "ru", "zh", "en")
KEY = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
CODE = re.compile(r"[a-z][a-z0-9_]{0,49}")
TEXT_LIMIT = 4000
MAX_ITEMS = 40
HOUR = 3600
DAY = 24 * HOUR


class ProcedureCategory(str, Enum):
    SKIN_CARE = "SKIN_CARE"
    INJECTABLES = "INJECTABLES"
    ENERGY_DEVICES = "ENERGY_DEVICES"
    SURGERY = "SURGERY"


class ProcedureAnaesthesia(str, Enum):
    """How a type's treatment is anaesthetised (seed 003's surgical flow: "局麻 / 全麻")."""

    NONE = "NONE"
    LOCAL = "LOCAL"
    GENERAL = "GENERAL"


# The kinds each category may name. Seed 003 knows the general anaesthesia ("全麻") in its
# surgical flow only ("整形外科顾客治疗流程"), and an operation under one or the other: a surgery
# names which. A treatment of the other categories is given without one or under a local one
# (a numbing cream, an anaesthetic in the injection); the handbooks put none of them under a
# general anaesthesia.
ANAESTHESIA_OF: dict[ProcedureCategory, frozenset[ProcedureAnaesthesia]] = {
    category: frozenset({ProcedureAnaesthesia.LOCAL, ProcedureAnaesthesia.GENERAL})
    if category is ProcedureCategory.SURGERY
    else frozenset({ProcedureAnaesthesia.NONE, ProcedureAnaesthesia.LOCAL})
    for category in ProcedureCategory
}


def anaesthesia_read(category: ProcedureCategory, stored: str | None) -> ProcedureAnaesthesia:
    """A version's kind as stored. A surgery is never under NONE: one stored without a kind, or
    as NONE (the column's default, written by a release from before the kinds), was published
    when every surgery asked the bladder check, a local anaesthesia's (migration 0045 gives
    those LOCAL)."""
    kind = ProcedureAnaesthesia(stored) if stored else ProcedureAnaesthesia.NONE
    if category is ProcedureCategory.SURGERY and kind is ProcedureAnaesthesia.NONE:
        return ProcedureAnaesthesia.LOCAL
    return kind


def anaesthesia_named(data: dict[str, Any]) -> ProcedureAnaesthesia | None:
    """The kind a version's content named when it was published; None for one published before
    the kinds, whose LOCAL (`anaesthesia_read`) stands for the checks it asks, not for how its
    operations went."""
    stored = data.get("anaesthesia")
    return ProcedureAnaesthesia(stored) if stored else None


class FollowUpChannel(str, Enum):
    PHONE = "PHONE"
    MESSAGE = "MESSAGE"
    VISIT = "VISIT"


class FollowUpTier(str, Enum):
    """Seed 002 §5: short term (within 24 h to 1 week), mid term (to 1 month), long term (to 1
    year)."""

    SHORT = "SHORT"
    MID = "MID"
    LONG = "LONG"


# (tier, last offset of the tier in seconds); offsets run from 1 h to 1 year after treatment.
TIERS: tuple[tuple[FollowUpTier, int], ...] = (
    (FollowUpTier.SHORT, 7 * DAY),
    (FollowUpTier.MID, 31 * DAY),
    (FollowUpTier.LONG, 366 * DAY),
)
# Seed 002 §5 puts the first call within 24 h of the treatment ("术后(治疗后)24小时内"), such as
# the evening of the treatment day: any hour from the handover on.
FIRST_FOLLOW_UP = 1 * HOUR

# Every treatment re-checks identity, plan and contraindications on the day (DOMAIN.md stage 7).
DAY_CHECKS = ("identity_verified", "plan_verified", "contraindications_rechecked")
# And the client is prepared for it, whatever the treatment: seed 002 4.1 "对客户进行术前(治疗前)
# 宣教,包括心理疏导、配合要点、术后(治疗后)护理常识等" (psychological support, how to cooperate,
# aftercare basics), said of every treatment ("治疗前"), not of surgery alone.
BASE_CHECKS = (*DAY_CHECKS, "preop_education")
# Surgery adds the labs with their results, the anesthesia assessment, photos and marking, and
# seed 003's examination before an operation: the operative site free of any focus of
# infection, and the symmetry of the paired features (eyes, ears, nostrils, mouth corners,
# cheeks) checked and recorded.
SURGICAL_CHECKS = (
    "lab_blood",
    "lab_ecg",
    "lab_ultrasound",
    "lab_chest_film",
    # Seed 003 "整形美容术前应进行全身的一般状况的检查,尤其是心理状态,心、肝、肾等主要脏器的检查":
    # the whole body's general state, the psychological state above all, and the heart, liver
    # and kidneys, with what was found.
    "general_examination",
    # Seed 003's surgical flow, the ward's preparation: "术前准备:更换病服、测量生命体征" (vital
    # signs measured before the operation), with their values.
    "vital_signs",
    "anesthesia_assessment",
    "operative_site_checked",
    "symmetry_recorded",
    "preop_photos",
    "marking",
    # Seed 003's surgical flow, the operating room receiving the client, of every operation:
    # "手术室接受客人:再次核对客人姓名、过敏史、月经、拍照、全麻(是否有喝水饮食过等)以及手术部位"
    # (name, allergies, menstruation, photos, the general anaesthesia's food and water, the
    # operative site checked again): her menstruation is asked again on the day, whatever the
    # anaesthesia.
    "menstruation_checked",
)
# And by the anaesthesia the surgery's version names (`ProcedureAnaesthesia`):
# - LOCAL: seed 003 "有的面部美容外科手术所需工夫较长,又由于是局部麻醉手术,所以,要求受术者在手术前
#   将大小便解净": a long operation under local anaesthesia waits for the client to empty bladder
#   and bowels first. A version says not how long its operation takes, so every one under a
#   local anaesthesia asks it: a tick where it is not needed costs less than an operation
#   stopped halfway.
# - GENERAL: the same receiving in the operating room asks of a general anaesthesia whether the
#   client drank water or ate ("全麻(是否有喝水饮食过等)"), against the fasting time she was told
#   when the operation was booked (seed 004 "告知手术前需要做的准备工作,例如禁食禁水时间").
# The seeds ask the emptied bladder of a local anaesthesia alone, the fasting of a general one
# alone; a clinic may list either of any surgery besides.
SURGICAL_CHECKS_UNDER: dict[ProcedureAnaesthesia, tuple[str, ...]] = {
    ProcedureAnaesthesia.NONE: (),
    ProcedureAnaesthesia.LOCAL: ("bladder_bowels_emptied",),
    ProcedureAnaesthesia.GENERAL: ("fasting_confirmed",),
}
# The stage a photo point's code names: its reminder is settled by a photo uploaded for that
# stage. A code of the clinic's own (`week_2`) is an OTHER photo, except at offset 0, the photo
# before (`domain.aftercare.photo_reminders.stage_for`).
STAGE_OF_CODE: dict[str, PhotoStage] = {
    "before": PhotoStage.BEFORE,
    "after": PhotoStage.AFTER,
    "suture_removal": PhotoStage.SUTURE_REMOVAL,
    "month_3": PhotoStage.THREE_MONTHS,
    "three_months": PhotoStage.THREE_MONTHS,
    "year_1": PhotoStage.ONE_YEAR,
    "one_year": PhotoStage.ONE_YEAR,
}
# Seed 003's photos of an operation, after the one before it: "术前一张,术后拆线一张,三个月后一张,
# 一年后再照一张" (at the suture removal, at three months, at a year; the result settles between
# three months and a year, when the comparison with the photo before is worth most).
SURGERY_PHOTO_STAGES = (PhotoStage.SUTURE_REMOVAL, PhotoStage.THREE_MONTHS, PhotoStage.ONE_YEAR)
SURGERY_PHOTOS = "a surgery's: before (day 0), suture_removal, month_3 and year_1 (seed 003)"
# Checks whose finding is the point: ticked without it, nothing says what was found.
RESULT_NEEDED = frozenset(
    {
        "lab_blood",
        "lab_ecg",
        "lab_ultrasound",
        "lab_chest_film",
        "general_examination",
        "vital_signs",
        "anesthesia_assessment",
        "symmetry_recorded",
    }
)
REQUIRED_CHECKS: dict[ProcedureCategory, tuple[str, ...]] = {
    ProcedureCategory.SKIN_CARE: BASE_CHECKS,
    ProcedureCategory.INJECTABLES: BASE_CHECKS,
    ProcedureCategory.ENERGY_DEVICES: BASE_CHECKS,
    ProcedureCategory.SURGERY: BASE_CHECKS + SURGICAL_CHECKS,
}


def required_checks(
    category: ProcedureCategory, anaesthesia: ProcedureAnaesthesia
) -> tuple[str, ...]:
    """The checks a version of `category` under `anaesthesia` must list, in this order."""
    under = SURGICAL_CHECKS_UNDER[anaesthesia] if category is ProcedureCategory.SURGERY else ()
    return REQUIRED_CHECKS[category] + under


# The parts of a discomfort note (seed 001): what is normal and when it passes; what is not
# and means "call now"; what to do yourself; the effect on activities.
DISCOMFORT_PARTS = ("normal", "passes", "call_now", "self_care", "activities")


def tier_of(offset_seconds: int) -> FollowUpTier | None:
    """The seed-002 tier of a follow-up offset; None outside 1 h ... 1 year."""
    if offset_seconds < FIRST_FOLLOW_UP:
        return None
    return next((tier for tier, last in TIERS if offset_seconds <= last), None)


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    needs_result: bool = False


@dataclass(frozen=True)
class FollowUpStep:
    offset_seconds: int
    channel: FollowUpChannel
    purpose: str
    questions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PhotoPoint:
    """A photo to take: `offset_days` after treatment, 0 meaning before it."""

    code: str
    offset_days: int


@dataclass(frozen=True)
class ProcedureContent:
    """One version's content. Texts for the client map a language code to the text."""

    category: ProcedureCategory
    names: dict[str, str]
    checklist: list[ChecklistItem]
    follow_ups: list[FollowUpStep]
    photo_schedule: list[PhotoPoint]
    discomfort: dict[str, dict[str, str]]
    warranty_days: int = 0
    warranty_terms: dict[str, str] = field(default_factory=dict)
    anaesthesia: ProcedureAnaesthesia = ProcedureAnaesthesia.NONE
    # A complex procedure (seed 004 三.4), led by a doctor with a senior professional title, an
    # assistant and a nurse beside them (`domain.procedures.complex_lead`). A version stored
    # before the mark has none in its content, and is not complex.
    complex: bool = False

    def to_json(self) -> dict[str, Any]:
        plain = asdict(self)
        plain["category"] = self.category.value
        plain["anaesthesia"] = self.anaesthesia.value
        for step in plain["follow_ups"]:
            step["channel"] = step["channel"].value
        return plain

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProcedureContent:
        category = ProcedureCategory(data["category"])
        return cls(
            category=category,
            names=dict(data["names"]),
            checklist=[ChecklistItem(**item) for item in data["checklist"]],
            follow_ups=[
                FollowUpStep(**{**step, "channel": FollowUpChannel(step["channel"])})
                for step in data["follow_ups"]
            ],
            photo_schedule=[PhotoPoint(**point) for point in data["photo_schedule"]],
            discomfort={k: dict(v) for k, v in data["discomfort"].items()},
            warranty_days=data.get("warranty_days", 0),
            warranty_terms=dict(data.get("warranty_terms", {})),
            anaesthesia=anaesthesia_read(category, data.get("anaesthesia")),
            complex=data.get("complex") is True,
        )

    def follow_up_offsets(self) -> list[int]:
        return sorted(step.offset_seconds for step in self.follow_ups)


def content_hash(type_key: str, version: int, content: ProcedureContent) -> str:
    """SHA-256 of the canonical JSON form (sorted keys, compact, UTF-8)."""
    value = {"type_key": type_key, "version": version, "content": content.to_json()}
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text(path: str, value: str, problems: list[FieldProblem], required: bool = True) -> None:
    problem = text_problem(path, value, required=required, limit=TEXT_LIMIT)
    if problem:
        problems.append(problem)


def _add(problems: list[FieldProblem], field: str, message: str, code: Code) -> None:
    problems.append(FieldProblem(field, message, code))


def _languages(path: str, texts: dict[str, Any], problems: list[FieldProblem]) -> None:
    for language in LANGUAGES:
        if language not in texts:
            _add(problems, path, f"the text in '{language}' is missing", Code.REQUIRED)
    for language in texts:
        if language not in LANGUAGES:
            _add(problems, path, f"one of {', '.join(LANGUAGES)}: {language!r}", Code.UNKNOWN_VALUE)


def _check_checklist(content: ProcedureContent, problems: list[FieldProblem]) -> None:
    codes = [item.code for item in content.checklist]
    for index, item in enumerate(content.checklist):
        if not CODE.fullmatch(item.code):
            _add(problems, f"checklist[{index}].code", "a-z, 0-9 and _, 1 to 50", Code.BAD_FORMAT)
        _text(f"checklist[{index}].label", item.label, problems)
    if len(set(codes)) != len(codes):
        _add(problems, "checklist", "each code once", Code.DUPLICATE)
    for code in required_checks(content.category, content.anaesthesia):
        if code not in codes:
            _add(problems, "checklist", f"'{code}' is required for this category", Code.REQUIRED)
    for index, item in enumerate(content.checklist):
        if item.code in RESULT_NEEDED and not item.needs_result:
            _add(problems, f"checklist[{index}].needsResult", "records its result", Code.REQUIRED)


def _check_follow_ups(content: ProcedureContent, problems: list[FieldProblem]) -> None:
    offsets = [step.offset_seconds for step in content.follow_ups]
    if not offsets:
        _add(problems, "followUps", "plan at least one follow-up", Code.REQUIRED)
    if len(set(offsets)) != len(offsets):
        _add(problems, "followUps", "each offset once", Code.DUPLICATE)
    for index, step in enumerate(content.follow_ups):
        if tier_of(step.offset_seconds) is None:
            _add(problems, f"followUps[{index}].offsetHours", "1 h to 1 year", Code.OUT_OF_RANGE)
        _text(f"followUps[{index}].purpose", step.purpose, problems)
        if len(step.questions) > MAX_ITEMS:
            _add(problems, f"followUps[{index}].questions", "at most 40", Code.TOO_MANY)
        for q_index, question in enumerate(step.questions):
            _text(f"followUps[{index}].questions[{q_index}]", question, problems)


def _check_photos(content: ProcedureContent, problems: list[FieldProblem]) -> None:
    if content.category is ProcedureCategory.SURGERY:
        # A release before asked one photo before and any one after: a surgery photographed
        # at the suture removal alone was never compared once its result had settled.
        days = [point.offset_days for point in content.photo_schedule]
        after = {STAGE_OF_CODE.get(p.code) for p in content.photo_schedule if p.offset_days > 0}
        if 0 not in days or not after.issuperset(SURGERY_PHOTO_STAGES):
            _add(problems, "photoSchedule", SURGERY_PHOTOS, Code.REQUIRED)
    for index, point in enumerate(content.photo_schedule):
        if not CODE.fullmatch(point.code):
            _add(problems, f"photoSchedule[{index}].code", "a-z, 0-9 and _", Code.BAD_FORMAT)
        if not 0 <= point.offset_days <= 366:
            _add(problems, f"photoSchedule[{index}].offsetDays", "0 to 366", Code.OUT_OF_RANGE)
        elif due := due_problem(STAGE_OF_CODE.get(point.code), point.offset_days):
            _add(problems, f"photoSchedule[{index}].offsetDays", due, Code.OUT_OF_RANGE)


def check_content(type_key: str, content: ProcedureContent) -> list[FieldProblem]:
    """Every problem of a new version, by the input's field names."""
    problems: list[FieldProblem] = []
    if not KEY.fullmatch(type_key):
        _add(problems, "typeKey", "1 to 100 of a-z, 0-9, '.', '_' or '-'", Code.BAD_FORMAT)
    for name, items in (
        ("checklist", content.checklist),
        ("followUps", content.follow_ups),
        ("photoSchedule", content.photo_schedule),
    ):
        if len(items) > MAX_ITEMS:
            _add(problems, name, f"at most {MAX_ITEMS}", Code.TOO_MANY)
    _languages("names", content.names, problems)
    for language, name in content.names.items():
        _text(f"names.{language}", name, problems)
    allowed = ANAESTHESIA_OF[content.category]
    if content.anaesthesia not in allowed:
        kinds = " or ".join(kind.value for kind in ProcedureAnaesthesia if kind in allowed)
        _add(problems, "anaesthesia", f"{kinds} for this category", Code.INCONSISTENT)
    _check_checklist(content, problems)
    _check_follow_ups(content, problems)
    _check_photos(content, problems)
    _languages("discomfort", content.discomfort, problems)
    for language, note in content.discomfort.items():
        for part in DISCOMFORT_PARTS:
            _text(f"discomfort.{language}.{part}", note.get(part, ""), problems)
    if not 0 <= content.warranty_days <= 3660:
        _add(problems, "warranty.periodDays", "0 to 3660 days", Code.OUT_OF_RANGE)
    if content.warranty_days:
        _languages("warranty.terms", content.warranty_terms, problems)
    for language, terms in content.warranty_terms.items():
        _text(f"warranty.terms.{language}", terms, problems)
    return problems
