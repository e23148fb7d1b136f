"""The procedure type shapes the SPA reads: a version and its parts."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.errors import ErrorCode
from domain.procedures import template as t
from domain.store.procedures import ProcedureTypeVersion as VersionRow
from schema.context import Context
from schema.errors import UserError
from schema.ids import encode_id
from schema.staff.types import StaffMember, staff_member

VERSION_ID_TYPE = "ProcedureTypeVersion"

strawberry.enum(t.ProcedureCategory, name="ProcedureCategory")
strawberry.enum(t.ProcedureAnaesthesia, name="ProcedureAnaesthesia")
strawberry.enum(t.FollowUpChannel, name="FollowUpChannel")
strawberry.enum(t.FollowUpTier, name="FollowUpTier")


@strawberry.type(description="A text in one language.")
class LocalizedText:
    language: str = strawberry.field(description="pl, ru, zh or en.")
    text: str = strawberry.field(description="The text.")


@strawberry.type(description="A pre-treatment check (seed 003: labs, anesthesia, photos, marking).")
class ChecklistItem:
    code: str = strawberry.field(description="Stable code, e.g. `lab_ecg`.")
    label: str = strawberry.field(description="What staff check, in the clinic's words.")
    needs_result: bool = strawberry.field(
        description="Completing it needs a result text (a lab's finding, the assessment)."
    )


@strawberry.type(description="A planned follow-up (seed 002 §5 tiers, 1 h to 1 year).")
class FollowUpStep:
    offset_hours: int = strawberry.field(description="Hours after handover.")
    tier: t.FollowUpTier = strawberry.field(description="Short, mid or long term.")
    channel: t.FollowUpChannel = strawberry.field(description="How the client is contacted.")
    purpose: str = strawberry.field(description="What the contact is for.")
    questions: list[str] = strawberry.field(description="What to ask.")


@strawberry.type(description="A photo to take: before treatment or some days after it.")
class PhotoPoint:
    code: str = strawberry.field(description="e.g. `before`, `suture_removal`, `month_3`.")
    offset_days: int = strawberry.field(description="Days after treatment; 0 means before it.")


@strawberry.type(description="Discomfort notes in one language, in the shape of seed 001.")
class DiscomfortNotes:
    language: str = strawberry.field(description="pl, ru, zh or en.")
    normal: str = strawberry.field(description="What may happen and is normal.")
    passes: str = strawberry.field(description="When that passes.")
    call_now: str = strawberry.field(description="What must not happen: call the clinic now.")
    self_care: str = strawberry.field(description="What the client can do themself.")
    activities: str = strawberry.field(description="The effect on activities (sport, work).")

    @classmethod
    def of(cls, language: str, note: dict[str, str]) -> DiscomfortNotes:
        return cls(language=language, **{part: note[part] for part in t.DISCOMFORT_PARTS})


@strawberry.type(description="The warranty issued with the treatment (seed 001 'Гарантии').")
class Warranty:
    period_days: int = strawberry.field(description="Days from treatment; 0: no warranty.")
    terms: list[LocalizedText] = strawberry.field(description="Its terms, per language.")


# The fields read from a version's content column; the others have columns of their own.
CONTENT_FIELDS = frozenset(
    {"complex", "names", "checklist", "followUps", "photoSchedule", "discomfort", "warranty"}
)


def _empty(row: VersionRow) -> t.ProcedureContent:
    category = t.ProcedureCategory(row.category)
    return t.ProcedureContent(category, {}, [], [], [], {})


@strawberry.type(description="One published, unchangeable version of a procedure type.")
class ProcedureTypeVersion:
    id: strawberry.ID = strawberry.field(description="Global id of this version.")
    type_key: str = strawberry.field(description="The procedure type; versions share it.")
    version: int = strawberry.field(description="1, 2, 3, ... per type.")
    category: t.ProcedureCategory = strawberry.field(description="Kind of treatment.")
    anaesthesia: t.ProcedureAnaesthesia = strawberry.field(
        description="The anaesthesia it is given under; a version published before kinds were "
        "named reads as LOCAL for a surgery (the checks it asks), NONE otherwise."
    )
    complex: bool = strawberry.field(
        description="A complex procedure (seed 004 三.4): started only by a doctor holding a "
        "senior professional title, with an assistant and a nurse named; false for a version "
        "published before the mark."
    )
    names: list[LocalizedText] = strawberry.field(description="Its name for clients.")
    checklist: list[ChecklistItem] = strawberry.field(description="Checks before treatment.")
    follow_ups: list[FollowUpStep] = strawberry.field(description="The follow-up plan.")
    photo_schedule: list[PhotoPoint] = strawberry.field(description="Photos to take.")
    discomfort: list[DiscomfortNotes] = strawberry.field(description="Notes per language.")
    warranty: Warranty = strawberry.field(description="The warranty, if any.")
    content_hash: str = strawberry.field(description="SHA-256 of the canonical JSON form.")
    published_by: str = strawberry.field(description="Raw account id of the supervisor.")
    published_at: datetime = strawberry.field(description="When, in UTC.")

    @strawberry.field(
        description="The supervisor who published it (`publishedBy`), with the name colleagues "
        "see; null if the account is gone."
    )
    async def published_by_staff(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.published_by)

    @classmethod
    def from_row(cls, row: VersionRow, with_content: bool = True) -> ProcedureTypeVersion:
        """The version; without its content (a list whose query asks none of `CONTENT_FIELDS`)
        those fields are empty, and the row need not hold it."""
        content = t.ProcedureContent.from_json(row.content) if with_content else _empty(row)
        return cls(
            id=strawberry.ID(encode_id(VERSION_ID_TYPE, row.id)),
            type_key=row.type_key,
            version=row.version,
            category=content.category,
            anaesthesia=t.anaesthesia_read(content.category, row.anaesthesia),
            complex=content.complex,
            names=[LocalizedText(language=k, text=v) for k, v in sorted(content.names.items())],
            checklist=[ChecklistItem(**vars(item)) for item in content.checklist],
            follow_ups=[
                FollowUpStep(
                    offset_hours=step.offset_seconds // t.HOUR,
                    tier=t.tier_of(step.offset_seconds) or t.FollowUpTier.LONG,
                    channel=step.channel,
                    purpose=step.purpose,
                    questions=list(step.questions),
                )
                for step in content.follow_ups
            ],
            photo_schedule=[PhotoPoint(**vars(point)) for point in content.photo_schedule],
            discomfort=[DiscomfortNotes.of(k, v) for k, v in sorted(content.discomfort.items())],
            warranty=Warranty(
                period_days=content.warranty_days,
                terms=[
                    LocalizedText(language=k, text=v)
                    for k, v in sorted(content.warranty_terms.items())
                ],
            ),
            content_hash=row.content_hash,
            published_by=row.published_by,
            published_at=row.published_at,
        )


@strawberry.type(description="A pre-treatment check of a journey and whether it is done.")
class ChecklistItemState:
    code: str = strawberry.field(description="The item's code.")
    label: str = strawberry.field(description="What staff check.")
    needs_result: bool = strawberry.field(description="Whether it needs a result text.")
    done: bool = strawberry.field(description="Completed (with its result, if it needs one).")
    result: str | None = strawberry.field(description="The latest result recorded.")
    completed_by: str | None = strawberry.field(description="Raw account id, latest.")
    completed_at: datetime | None = strawberry.field(description="When, in UTC, latest.")

    @strawberry.field(
        description="Who completed it last (`completedBy`), with the name colleagues see; null "
        "while open or if the account is gone."
    )
    async def completed_by_staff(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.completed_by)


@strawberry.type(description="Treatment cannot start: checklist items are still open.")
class ChecklistIncomplete(UserError):
    open_items: list[str] = strawberry.field(description="Codes of the open items, in order.")


def checklist_incomplete(open_codes: list[str]) -> ChecklistIncomplete:
    return ChecklistIncomplete(
        code=ErrorCode.CHECKLIST_INCOMPLETE,
        message="open checklist items: " + ", ".join(open_codes),
        open_items=open_codes,
    )
