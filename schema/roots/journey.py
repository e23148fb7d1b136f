"""Mutations: the journey's steps, and what a supervisor does to a journey."""

from __future__ import annotations

import strawberry

from schema.catalog import api as catalog_api
from schema.journeys import (
    aftercare,
    amendments,
    consent,
    consent_changes,
    consultation,
    intake,
    reception,
    treatment,
)
from schema.journeys.actions import JourneyResult
from schema.supervision import expert_review, slas
from schema.supervision import mutations as supervision_mutations


def _action(resolver: object, description: str) -> JourneyResult:
    return strawberry.mutation(resolver=resolver, description=description)  # type: ignore[call-overload,no-any-return]


@strawberry.type
class JourneyMutations:
    start_journey = _action(reception.start_journey, "Reception: open a journey for a client.")
    check_in = _action(intake.check_in, "A booked client has arrived: on to triage.")
    assign_consultant = _action(intake.assign_consultant, "Triage: choose the consultant.")
    record_consultation = _action(
        consultation.record_consultation,
        "Needs (her earlier treatments, or that she has had none), assessment, plans.",
    )
    close_not_converted = _action(aftercare.close_not_converted, "The client did not convert.")
    request_expert_review = _action(consultation.request_expert_review, "Brief the expert.")
    complete_expert_review = _action(consultation.complete_expert_review, "The expert's final say.")
    sign_consent = _action(
        consent.sign_consent,
        "Record one signed consent: signer and capacity, the exact template version and its "
        "hash, language, witness and the drawn signature. An ANESTHESIA consent is taken by the "
        "doctor who gives it (an expert).",
    )
    defer_consent = _action(
        consent_changes.defer_consent,
        "The client wants a second talk: the journey waits in CONSENT (its SLA runs on).",
    )
    withdraw_consent = _action(
        consent_changes.withdraw_consent,
        "The client withdraws a consent. One the treatment needs (PROCEDURE; ANESTHESIA when "
        "the plan has it), before the treatment began, stops the journey (DECLINED); any other "
        "(PHOTO: its purposes end), or any after the treatment began, is recorded and the "
        "journey goes on. A PHOTO, DATA_PROCESSING or DATA_SHARING consent outlives its "
        "journey: once the "
        "journey has ended it is still withdrawn (recorded without the journey, which is "
        "answered as it ended); another kind is then TransitionNotAllowed. Where it may be "
        "withdrawn, one not in force (never signed, or withdrawn) is ValidationFailed on "
        "`kind`, while the journey runs as after it.",
    )
    override_contraindication = _action(catalog_api.override_contraindication, "")
    start_treatment = _action(treatment.start_treatment, "Checks on the day; treatment begins.")
    complete_treatment = _action(treatment.complete_treatment, "What was done, products and lots.")
    hand_over = _action(
        treatment.hand_over,
        "Aftercare and discomfort notes; follow-ups begin. An expert's or a nurse's; a "
        "surgery's, a doctor's (an expert: NotAuthorized for a nurse).",
    )
    complete_follow_up = _action(aftercare.complete_follow_up, "Record a follow-up call.")
    close_follow_ups = _action(aftercare.close_follow_ups, "Supervisor: close open follow-ups.")
    cancel_journey = _action(intake.cancel_journey, "Cancelled by the clinic or declined.")
    mark_no_show = _action(intake.mark_no_show, "A booked client did not come.")
    set_stage_sla = strawberry.mutation(
        resolver=slas.set_stage_sla, description="Supervisor: a stage's SLA for new journeys."
    )
    amend_record = strawberry.mutation(
        resolver=amendments.amend_record,
        description="Correct a record: an amendment, no edit. A journey's records take "
        "100 amendments in all; one more is ValidationFailed on `seq`.",
    )
    reassign_journey = _action(
        supervision_mutations.reassign_journey,
        "Supervisor: new owner. A client the triage desk placed is taken by the new consultant, "
        "as reassignClient places her (no 10-minute hand-over), at any stage from her "
        "consultation on: one the desk still waits on, one taken already (placed anew with "
        "reassignClient, or by her consultant), and one past her consultation (expert review "
        "or later), whose turn stays used by the first; the desk follows each later move too, "
        "her ownership and the revenue credited whole to the consultant named last.",
    )
    reassign_expert_review = _action(
        expert_review.reassign_expert_review,
        "Supervisor: the expert asked for a waiting review has left or is away; another active "
        "expert of the clinic takes it over and decides it (completeExpertReview), the first "
        "no longer may. The journey stays in EXPERT_REVIEW; its history records who handed "
        "the review on, from whom, to whom and why.",
    )
    nudge_journey = _action(supervision_mutations.nudge_journey, "Supervisor: note to the owner.")
    escalate_journey = _action(supervision_mutations.escalate_journey, "Supervisor: escalate.")
    close_journey = _action(supervision_mutations.close_journey, "Supervisor: close for good.")
