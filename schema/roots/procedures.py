"""The procedure operations, added to the Query and Mutation roots (`schema.build`)."""

from __future__ import annotations

import strawberry

from schema.procedures import checklist, leaflet, lots, publish


@strawberry.type
class ProcedureQueries:
    procedure_types = strawberry.field(
        resolver=publish.procedure_types,
        description="Your clinic's procedure type versions, by type, newest first.",
    )
    lot_recipients = strawberry.field(
        resolver=lots.lot_recipients,
        description="A recall: which of your clinic's clients received a product from a lot "
        "(each one named is an audited read of that client's file).",
    )
    aftercare_leaflet = strawberry.field(
        resolver=leaflet.aftercare_leaflet,
        description="The client's printable aftercare leaflet (HTML and PDF) in pl, ru, zh or "
        "en, from the journey's procedure type version and the handover's notes and medicines.",
    )


@strawberry.type
class ProcedureMutations:
    set_procedure_type = strawberry.mutation(
        resolver=publish.set_procedure_type,
        description="Supervisor: a new version of a procedure type (checklist, follow-up plan, "
        "photo schedule, discomfort notes, warranty). Journeys keep the version they took.",
    )
    complete_checklist_item = strawberry.mutation(
        resolver=checklist.complete_checklist_item,
        description="A pre-treatment checklist item done, with its result where it needs one.",
    )
