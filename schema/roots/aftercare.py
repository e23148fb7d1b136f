"""Mutations: after-care (the clinic's follow-up setting, complications, the phone survey,
warranty claims, closing a task by hand)."""

from __future__ import annotations

import strawberry

from schema.aftercare import closing as aftercare_closing
from schema.aftercare import complication as aftercare_complication
from schema.aftercare import complication_call as aftercare_complication_call
from schema.aftercare import policy as aftercare_policy
from schema.aftercare import survey as aftercare_survey
from schema.aftercare import warranty as aftercare_warranty


@strawberry.type
class AftercareMutations:
    set_aftercare_policy = strawberry.mutation(
        resolver=aftercare_policy.set_aftercare_policy,
        description="Supervisor: who makes the follow-up calls, when a task is overdue, and "
        "the warranty of new treatments.",
    )
    report_complication = strawberry.mutation(
        resolver=aftercare_complication.report_complication,
        description="The client reports a complication on a due follow-up call: the call is "
        "recorded, the treating doctor (the performer `completeTreatment` named, as corrected; "
        "the approving expert when that was a nurse) gets a task at once, and a linked recheck "
        "journey opens for the same client, owned by the same consultant.",
    )
    report_complication_call = strawberry.mutation(
        resolver=aftercare_complication_call.report_complication_call,
        description="The client calls in (or comes back) with a complication outside the "
        "scheduled calls: between two of them, or after the last, however long ago the "
        "treatment (HANDOVER, FOLLOW_UP or COMPLETED). Recorded with the treating doctor's task "
        "at once, as `reportComplication` records one, and a linked recheck journey opens "
        "(or one the client has coming serves); the journey itself does not move. Anyone who "
        "takes the client's call records it; before the treatment is done, `ValidationFailed` "
        "on `journeyId`, as past 4 calls on one journey (more would make the client's copy of "
        "her file, `exportClientFile`, too large to give: 4 for each of the 500 treatments a "
        "copy carries is its 2000 complication calls).",
    )
    record_survey = strawberry.mutation(
        resolver=aftercare_survey.record_survey,
        description="The phone survey of a treated client (four scores, 1 to 5); a score of 2 "
        "or less puts a task on the supervisors' list. One per journey: a second (a new "
        "idempotencyKey) is `Conflict`, nothing written. Not for a client who asked not to be "
        "asked about her results (`ValidationFailed` on `journeyId`, nothing written).",
    )
    claim_warranty = strawberry.mutation(
        resolver=aftercare_warranty.claim_warranty,
        description="A claim on a warranty card: within its period a linked recheck journey "
        "opens at no charge; after it, `WarrantyExpired` names the end date.",
    )
    complete_task = strawberry.mutation(
        resolver=aftercare_closing.complete_task,
        description="Close an invitation, low-survey-score or complication task with an "
        "outcome note: by "
        "the role whose list it is on (the named account, if it names one) or a supervisor. "
        "Follow-up calls and photo reminders close by their own actions (`completeFollowUp`, "
        "`reportComplication`, `uploadPhoto`) and are refused here. `tasksChanged` pushes the "
        "closed task (DONE) to those whose list it was on.",
    )
