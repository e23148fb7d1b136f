"""The input of `setProcedureType`, and its translation into the domain's content."""

from __future__ import annotations

from typing import ClassVar

import strawberry

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.procedures import template as t
from schema import idempotency


@strawberry.input(description="A text in one language.")
class LocalizedTextInput:
    language: str = strawberry.field(description="pl, ru, zh or en.")
    text: str = strawberry.field(description="The text.")


@strawberry.input(description="A pre-treatment check.")
class ChecklistItemInput:
    code: str = strawberry.field(description="Stable code: a-z, 0-9 and _ (e.g. `lab_ecg`).")
    label: str = strawberry.field(description="What staff check.")
    needs_result: bool = strawberry.field(
        default=False, description="Completing it needs a result text."
    )


@strawberry.input(description="A planned follow-up, 1 h to 1 year after handover.")
class FollowUpStepInput:
    offset_hours: int = strawberry.field(
        description="Hours after handover: 1 to 8784 (seed 002's first call is within 24 h)."
    )
    channel: t.FollowUpChannel = strawberry.field(description="How the client is contacted.")
    purpose: str = strawberry.field(description="What the contact is for.")
    questions: list[str] = strawberry.field(default_factory=list, description="What to ask.")


@strawberry.input(description="A photo to take.")
class PhotoPointInput:
    code: str = strawberry.field(description="e.g. `before`, `suture_removal`.")
    offset_days: int = strawberry.field(
        description="Days after treatment; 0 means before. A point named for a moment of seed "
        "003 is due at it: `before` on 0, `month_3` (`three_months`) on 77 to 106, `year_1` "
        "(`one_year`) on 365 or 366."
    )


@strawberry.input(description="Discomfort notes in one language (seed 001's shape).")
class DiscomfortTextInput:
    language: str = strawberry.field(description="pl, ru, zh or en.")
    normal: str = strawberry.field(description="What may happen and is normal.")
    passes: str = strawberry.field(description="When that passes.")
    call_now: str = strawberry.field(description="What must not happen: call the clinic now.")
    self_care: str = strawberry.field(description="What the client can do themself.")
    activities: str = strawberry.field(description="The effect on activities.")


@strawberry.input(description="The warranty issued with the treatment.")
class WarrantyInput:
    period_days: int = strawberry.field(description="Days from treatment, 0 to 3660.")
    terms: list[LocalizedTextInput] = strawberry.field(
        default_factory=list, description="Its terms in pl, ru, zh and en (when a period)."
    )


@strawberry.input(description="A new version of a procedure type (the first one creates it).")
class SetProcedureTypeInput:
    type_key: str = strawberry.field(description="The type, e.g. `filler` or `blepharoplasty`.")
    category: t.ProcedureCategory = strawberry.field(description="Kind of treatment.")
    anaesthesia: t.ProcedureAnaesthesia | None = strawberry.field(
        default=None,
        description="The anaesthesia it is given under: a surgery's LOCAL or GENERAL (required), "
        "another category's NONE (when omitted) or LOCAL. It decides checks the checklist must "
        "list (see `checklist`).",
    )
    complex: bool = strawberry.field(
        default=False,
        description="A complex procedure (seed 004 三.4): its treatment is started by a doctor "
        "holding a senior professional title (`StaffMember.seniorTitle`), who names an "
        "assistant and a nurse (`StartTreatmentInput`). Omitted: not complex.",
    )
    names: list[LocalizedTextInput] = strawberry.field(description="Name in pl, ru, zh, en.")
    checklist: list[ChecklistItemInput] = strawberry.field(
        description="Checks before treatment; identity_verified, plan_verified, "
        "contraindications_rechecked and preop_education always, and for surgery lab_blood, "
        "lab_ecg, lab_ultrasound, lab_chest_film, general_examination, vital_signs, "
        "anesthesia_assessment, operative_site_checked, symmetry_recorded, preop_photos, "
        "marking and menstruation_checked, and under a LOCAL anaesthesia bladder_bowels_emptied, "
        "under a GENERAL one fasting_confirmed. The labs, general_examination, vital_signs, the "
        "anesthesia assessment and symmetry_recorded need their result (`needsResult`) in any "
        "category."
    )
    follow_ups: list[FollowUpStepInput] = strawberry.field(description="The follow-up plan.")
    photo_schedule: list[PhotoPointInput] = strawberry.field(
        default_factory=list,
        description="Photos to take. A surgery's has `before` (day 0), `suture_removal`, "
        "`month_3` (or `three_months`) and `year_1` (or `one_year`) (seed 003).",
    )
    discomfort: list[DiscomfortTextInput] = strawberry.field(
        description="Discomfort notes in pl, ru, zh and en."
    )
    warranty: WarrantyInput | None = strawberry.field(default=None, description="If any.")
    idempotency_key: str | None = idempotency.key_field()
    # A key claimed before `anaesthesia` or `complex` existed digested a version without them:
    # sent with neither, the digest is as it was then (`domain.idempotency.LEFT_OUT_AT`).
    digest_leaves_out: ClassVar[dict[str, tuple[str | bool | None, ...]]] = {
        "anaesthesia": (None,),
        "complex": (False,),
    }


def _by_language(
    field: str, texts: list[LocalizedTextInput], problems: list[FieldProblem]
) -> dict[str, str]:
    found: dict[str, str] = {}
    for text in texts:
        if text.language in found:
            problems.append(
                FieldProblem(field, f"'{text.language}' is given twice", Code.DUPLICATE)
            )
        found[text.language] = text.text
    return found


def to_content(input: SetProcedureTypeInput) -> tuple[t.ProcedureContent, list[FieldProblem]]:
    problems: list[FieldProblem] = []
    discomfort: dict[str, dict[str, str]] = {}
    for note in input.discomfort:
        if note.language in discomfort:
            problems.append(
                FieldProblem("discomfort", f"'{note.language}' is given twice", Code.DUPLICATE)
            )
        discomfort[note.language] = {part: getattr(note, part) for part in t.DISCOMFORT_PARTS}
    warranty = input.warranty or WarrantyInput(period_days=0)
    content = t.ProcedureContent(
        category=input.category,
        names=_by_language("names", input.names, problems),
        checklist=[t.ChecklistItem(i.code, i.label, i.needs_result) for i in input.checklist],
        follow_ups=[
            t.FollowUpStep(s.offset_hours * t.HOUR, s.channel, s.purpose, list(s.questions))
            for s in input.follow_ups
        ],
        photo_schedule=[t.PhotoPoint(p.code, p.offset_days) for p in input.photo_schedule],
        discomfort=discomfort,
        warranty_days=warranty.period_days,
        warranty_terms=_by_language("warranty.terms", warranty.terms, problems),
        # None is a surgery's refusal (`check_content`), another category's NONE.
        anaesthesia=input.anaesthesia or t.ProcedureAnaesthesia.NONE,
        complex=input.complex,
    )
    # Bound the numbers before they are multiplied or stored.
    for index, step in enumerate(input.follow_ups):
        if not 0 <= step.offset_hours <= 10_000:
            problems.append(
                FieldProblem(f"followUps[{index}].offsetHours", "1 to 8784", Code.OUT_OF_RANGE)
            )
    return content, problems
