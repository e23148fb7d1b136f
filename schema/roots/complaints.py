"""The complaint register, joined into the Query and Mutation roots."""

from __future__ import annotations

import strawberry

from schema.complaints import days_off, mutations, queries


@strawberry.type
class ComplaintQueries:
    open_complaints = strawberry.field(
        resolver=queries.open_complaints,
        description="Supervisors: your clinic's complaints not resolved, those not answered "
        "first by when their first answer is due (so the overdue lead), then those answered.",
    )
    clinic_days_off = strawberry.field(
        resolver=days_off.clinic_days_off,
        description="Your clinic's closed days of a year besides weekends (public holidays, "
        "closures), which count as no working day: a complaint's first answer is due two "
        "working days on.",
    )


@strawberry.type
class ComplaintMutations:
    record_complaint = strawberry.mutation(
        resolver=mutations.record_complaint,
        description="Whoever the client tells (the desk, nurses, consultants, the callers, "
        "supervisors): her complaint, how it came and what about; its first answer is due by "
        "the end of the second working day after the day it was received. A client unhappy "
        "with her consultant who asks for another is reassigned by a supervisor "
        "(`reassignClient`). In her file (`Client.complaints`) and her copy.",
    )
    respond_to_complaint = strawberry.mutation(
        resolver=mutations.respond_to_complaint,
        description="Supervisor: what the clinic answered the client; the first answer ends "
        "its being overdue. An entry of its own: nothing is edited.",
    )
    resolve_complaint = strawberry.mutation(
        resolver=mutations.resolve_complaint,
        description="Supervisor: how the complaint ended (its outcome and a note); it then "
        "takes nothing more (ValidationFailed on `complaintId`).",
    )
    set_clinic_days_off = strawberry.mutation(
        resolver=days_off.set_clinic_days_off,
        description="Supervisor: a year's closed days besides weekends, the whole list (it "
        "replaces the year's). A complaint received from then on counts working days without "
        "them; one received before keeps the due time it was given.",
    )
