"""`clientConsultationRecord`: the written consultation record the client takes home, as HTML
and PDF (`domain.journey.consultation_copy` says what it holds and what it leaves out).

The journey's latest consultation, or the one chosen by its event's `seq` (a journey consulted
again keeps each), as its amendments left it, dated in the clinic's calendar, naming the
consultant who recorded it as they were named then: a clinical document does not change with an
administrator's rename. Reading it reads the client's file and is audited so.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.audit import CONSULTATION_RECORD_READ
from domain.client_file.journey_records import Consultation
from domain.errors import FieldProblemCode as Code
from domain.journey.consultation_copy import HEADINGS, compose
from domain.journey.table import Action
from domain.printed import PrintedPage
from domain.store.latest_record import latest_record
from domain.store.models import Clinic
from domain.store.staff_names import names_through_time
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
from schema.journeys.told import PLAN_PRICES, reads_any
from schema.permissions import viewer_role

LANGUAGES = tuple(HEADINGS)


@strawberry.type(description="The written record of a consultation, for the client to keep.")
class ClientConsultationRecord:
    language: str = strawberry.field(description="pl, ru, zh or en.")
    seq: int = strawberry.field(
        description="Which of the journey's consultations this is: the `seq` of its "
        "`record_consultation` event in the journey's `history`."
    )
    consulted_on: date = strawberry.field(
        description="The day of the consultation, in the clinic's calendar."
    )
    amended: bool = strawberry.field(
        description="True when the record was corrected (`amendRecord`) after it was written: "
        "the page shows it as corrected."
    )
    page: strawberry.Private[PrintedPage]

    @strawberry.field(
        description="A printable HTML page (UTF-8): her needs (her earlier treatments, with "
        "when and their effect, or none; not asked on a consultation recorded before the "
        "consultant had to ask), each plan proposed with its "
        "items, effect, course, price, risks and recovery, and whom to ask. The consultant's "
        "assessments are not on it, nor, for a reader who may not read a plan's price in the "
        "consultation's record (a nurse), the prices."
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


async def client_consultation_record(
    info: Info[Context, None],
    journey_id: Annotated[strawberry.ID, strawberry.argument(description="The journey.")],
    language: Annotated[str, strawberry.argument(description="pl, ru, zh or en.")],
    seq: Annotated[
        int | None,
        strawberry.argument(
            description="The consultation to print, by the `seq` of its `record_consultation` "
            "event in the journey's `history` (a journey consulted again has a record of each); "
            "null: the latest. A `seq` of no consultation of the journey is NotFound."
        ),
    ] = None,
) -> ClientConsultationRecordResult:
    """The journey's consultation (the latest, or the one chosen), written for the client, HTML
    and PDF."""
    if info.context.claims is None:
        return not_authorized()
    if language not in LANGUAGES:
        return invalid("language", "one of " + ", ".join(LANGUAGES), Code.UNKNOWN_VALUE)
    row = await load_visible_journey(info, journey_id)
    if row is None:
        return not_found("journey")
    found = await latest_record(row.id, Action.RECORD_CONSULTATION.value, Consultation, seq)
    if found is None:
        return not_found("consultation record of the journey")
    note_access(row.client_id, CONSULTATION_RECORD_READ)
    clinic = await Clinic.get(id=row.clinic_id)
    event = found.event
    # As her copy names the staff of a journey's record: by the name in force at its event.
    names = await names_through_time([event.actor_id])
    consultant = names.at_moment(event.actor_id, event.at)
    consulted_on = event.at.astimezone(await zone_of(info, row.clinic_id)).date()
    # The page is the record on paper: a reader the record's plans' prices are withheld from
    # (a nurse) prints it without them, as `details` reads to them.
    priced = reads_any(PLAN_PRICES, viewer_role(info.context))
    page = compose(found.record, language, consulted_on, clinic.name, consultant or "", priced)
    return ClientConsultationRecord(
        language=language,
        seq=event.seq,
        consulted_on=consulted_on,
        amended=found.amended,
        page=page,
    )
