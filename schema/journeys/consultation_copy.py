"""`clientConsultationRecord`: the written consultation record the client takes home, as HTML
and PDF (`domain.journey.consultation_copy` says what it holds and what it leaves out).

The journey's latest consultation as its amendments left it, dated in the clinic's calendar,
naming the consultant who recorded it. Reading it reads the client's file and is audited so.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.audit import CONSULTATION_RECORD_READ
from domain.client_file.amended import revised
from domain.client_file.file_records import RecordAmendment
from domain.client_file.journey_records import Consultation
from domain.journey.consultation_copy import HEADINGS, compose
from domain.journey.table import Action
from domain.journey.validation import MAX_AMENDMENTS_PER_JOURNEY
from domain.printed import PrintedPage
from domain.store.models import Clinic, StaffAccount
from domain.store.models import JourneyEvent as EventRow
from domain.store.models import JourneyRecord as RecordRow
from schema import printed_render
from schema.answer_size import MAX_LIST_ITEMS, PDF_WEIGHT
from schema.audit.collector import note_access
from schema.clients.file_access import zone_of
from schema.context import Context
from schema.errors import (
    NotAuthorized,
    NotFound,
    ValidationFailed,
    invalid,
    not_authorized,
    not_found,
)
from schema.journeys.actions import load_visible_journey

LANGUAGES = tuple(HEADINGS)


@strawberry.type(description="The written record of a consultation, for the client to keep.")
class ClientConsultationRecord:
    language: str = strawberry.field(description="pl, ru, zh or en.")
    consulted_on: date = strawberry.field(
        description="The day of the consultation, in the clinic's calendar."
    )
    amended: bool = strawberry.field(
        description="True when the record was corrected (`amendRecord`) after it was written: "
        "the page shows it as corrected."
    )
    page: strawberry.Private[PrintedPage]

    @strawberry.field(
        description="A printable HTML page (UTF-8): her needs, each plan proposed with its "
        "items, effect, course, price, risks and recovery, and whom to ask. The consultant's "
        "assessments are not on it."
    )
    def html(self) -> str:
        return printed_render.render_html(self.page)

    @strawberry.field(
        description="The same record as a PDF, base64. Made only when asked, and costly: an "
        f"operation may ask for at most {MAX_LIST_ITEMS // PDF_WEIGHT} PDFs."
    )
    async def pdf_base64(self) -> str:
        return await printed_render.pdf_base64(self.page)


ClientConsultationRecordResult = Annotated[
    ClientConsultationRecord | NotAuthorized | ValidationFailed | NotFound,
    strawberry.union(
        "ClientConsultationRecordResult", description="The consultation record, or why not."
    ),
]


async def _consultation(journey_id: str) -> tuple[Consultation, EventRow] | None:
    """The journey's latest consultation record as first written, with its amendments."""
    event = (
        await EventRow.filter(
            journey_id=journey_id,
            action=Action.RECORD_CONSULTATION.value,
            record_id__not_isnull=True,
        )
        .order_by("-seq")
        .first()
    )
    record = await RecordRow.get_or_none(id=event.record_id) if event else None
    if event is None or record is None:
        return None
    corrections = (
        await RecordRow.filter(amends_id=record.id)
        .order_by("created_at", "id")
        .limit(MAX_AMENDMENTS_PER_JOURNEY)
    )
    body = record.body or {}
    consultation = Consultation(
        id=record.id,
        journey_id=journey_id,
        occupation=body.get("occupation"),
        needs=body.get("needs"),
        assessment=body.get("assessment"),
        plans=body.get("plans"),
        by=event.actor_id,
        author_role=event.actor_role,
        amendments=[
            RecordAmendment(
                id=row.id,
                by=row.author_id,
                reason=(row.body or {}).get("reason", ""),
                correction=(row.body or {}).get("correction", {}),
                at=row.created_at,
            )
            for row in corrections
        ],
        at=event.at,
    )
    return consultation, event


async def client_consultation_record(
    info: Info[Context, None],
    journey_id: Annotated[strawberry.ID, strawberry.argument(description="The journey.")],
    language: Annotated[str, strawberry.argument(description="pl, ru, zh or en.")],
) -> ClientConsultationRecordResult:
    """The journey's consultation, written for the client, HTML and PDF."""
    if info.context.claims is None:
        return not_authorized()
    if language not in LANGUAGES:
        return invalid("language", "one of " + ", ".join(LANGUAGES))
    row = await load_visible_journey(info, journey_id)
    if row is None:
        return not_found("journey")
    found = await _consultation(row.id)
    if found is None:
        return not_found("consultation record of the journey")
    written, event = found
    consultation, revisions = revised(written)
    note_access(row.client_id, CONSULTATION_RECORD_READ)
    clinic = await Clinic.get(id=row.clinic_id)
    consultant = await StaffAccount.get_or_none(id=event.actor_id, clinic_id=row.clinic_id)
    consulted_on = event.at.astimezone(await zone_of(info, row.clinic_id)).date()
    page = compose(
        consultation,
        language,
        consulted_on,
        clinic.name,
        consultant.display_name if consultant else "",
    )
    return ClientConsultationRecord(
        language=language, consulted_on=consulted_on, amended=bool(revisions), page=page
    )
