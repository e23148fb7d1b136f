"""`aftercareLeaflet`: the printable leaflet the client takes home, as HTML and PDF.

Built from the journey's procedure type version (never a newer one) and the handover's
adjusted notes for that language; reading it reads the client's file and is audited so.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain.audit import AFTERCARE_LEAFLET_READ
from domain.client_file.journey_records import Handover
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.table import Action
from domain.procedures.leaflet import Leaflet, compose
from domain.procedures.template import LANGUAGES
from domain.store.latest_record import latest_record
from domain.store.models import Journey as JourneyRow
from domain.store.models import JourneyEvent as EventRow
from schema import printed_render
from schema.answer_size import MAX_LIST_ITEMS, PDF_WEIGHT
from schema.audit.collector import note_access
from schema.clients.file_access import zone_of
from schema.clients.file_mutations import invalid
from schema.context import Context
from schema.errors import NotAuthorized, NotFound, ValidationFailed, not_authorized, not_found
from schema.journeys.actions import load_visible_journey
from schema.procedures.journey_type import journey_procedure
from schema.procedures.types import DiscomfortNotes, ProcedureTypeVersion


@strawberry.type(description="The aftercare leaflet for the client, in one language.")
class AftercareLeaflet:
    language: str = strawberry.field(description="pl, ru, zh or en.")
    notes: DiscomfortNotes = strawberry.field(description="The notes as the leaflet shows them.")
    procedure_type: ProcedureTypeVersion = strawberry.field(
        description="The version the journey follows (the one its plan named)."
    )
    leaflet: strawberry.Private[Leaflet]

    @strawberry.field(description="A printable HTML page (UTF-8).")
    def html(self) -> str:
        return printed_render.render_html(self.leaflet.page)

    @strawberry.field(
        description="The same leaflet as a PDF, base64. Made only when asked, and costly: an "
        f"operation may ask for at most {MAX_LIST_ITEMS // PDF_WEIGHT} of them."
    )
    async def pdf_base64(self) -> str:
        return await printed_render.pdf_base64(self.leaflet.page)


AftercareLeafletResult = Annotated[
    AftercareLeaflet | NotAuthorized | ValidationFailed | NotFound,
    strawberry.union("AftercareLeafletResult", description="The leaflet, or why not."),
]


async def _treated_on(info: Info[Context, None], row: JourneyRow) -> date | None:
    event = await EventRow.filter(journey_id=row.id, action="complete_treatment").first()
    if event is None:
        return None
    return event.at.astimezone(await zone_of(info, row.clinic_id)).date()


def _adjusted_notes(handover: Handover | None, language: str) -> Mapping[str, Any] | None:
    """The handover's discomfort notes (as corrected) when it wrote them for this language."""
    notes = handover.discomfort if handover else None
    if isinstance(notes, Mapping) and notes.get("language") == language:
        return notes
    return None


def _prescriptions(handover: Handover | None) -> list[Mapping[str, Any]]:
    given = handover.prescriptions if handover else None
    return [item for item in given if isinstance(item, Mapping)] if given else []


async def aftercare_leaflet(
    info: Info[Context, None],
    journey_id: Annotated[strawberry.ID, strawberry.argument(description="The journey.")],
    language: Annotated[str, strawberry.argument(description="pl, ru, zh or en.")],
) -> AftercareLeafletResult:
    """The client's aftercare leaflet from the journey's procedure type, HTML and PDF."""
    if info.context.claims is None:
        return not_authorized()
    if language not in LANGUAGES:
        return invalid(
            [FieldProblem("language", "one of " + ", ".join(LANGUAGES), Code.UNKNOWN_VALUE)]
        )
    row = await load_visible_journey(info, journey_id)
    if row is None:
        return not_found("journey")
    procedure = await journey_procedure(row)
    if procedure is None:
        return not_found("procedure type of the journey")
    note_access(row.client_id, AFTERCARE_LEAFLET_READ)
    found = await latest_record(row.id, Action.HAND_OVER.value, Handover)
    handover = found.record if found else None
    leaflet = compose(
        procedure.content,
        language,
        await _treated_on(info, row),
        _adjusted_notes(handover, language),
        _prescriptions(handover),
    )
    return AftercareLeaflet(
        language=language,
        notes=DiscomfortNotes.of(language, leaflet.notes),
        procedure_type=ProcedureTypeVersion.from_row(procedure.version),
        leaflet=leaflet,
    )
