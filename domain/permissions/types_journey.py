"""Rows of the permission table: the journey, procedure types, after-care, the cockpit."""

from __future__ import annotations

from domain.permissions.audiences import (
    ANYONE,
    CARE_TEAM,
    CLINIC_STAFF,
    CLINICAL,
    COMPLICATION_CALL_TAKERS,
    MONEY,
    SUPERVISORS,
    WARRANTY_DESK,
    Audience,
    rows,
)

# Procedure types are every staff member's to read (the desk and cashier plan with them); a
# journey's checklist results, a recall's recipients and the leaflet are the clinicians'.
PROCEDURE_TYPES: dict[str, dict[str, Audience]] = {
    "LocalizedText": rows(CLINIC_STAFF, "language text"),
    "ChecklistItem": rows(CLINIC_STAFF, "code label needsResult"),
    "FollowUpStep": rows(CLINIC_STAFF, "offsetHours tier channel purpose questions"),
    "PhotoPoint": rows(CLINIC_STAFF, "code offsetDays"),
    "DiscomfortNotes": rows(CLINIC_STAFF, "language normal passes callNow selfCare activities"),
    "Warranty": rows(CLINIC_STAFF, "periodDays terms"),
    "ProcedureTypeVersion": rows(
        CLINIC_STAFF,
        "id typeKey version category anaesthesia complex names checklist followUps"
        " photoSchedule discomfort warranty contentHash publishedBy publishedAt publishedByStaff",
    ),
    "ProcedureTypePayload": rows(SUPERVISORS, "procedureType"),
    "ChecklistItemState": rows(
        CLINICAL, "code label needsResult done result completedBy completedAt completedByStaff"
    ),
    "ChecklistItemPayload": rows(CLINICAL, "journey"),
    "ChecklistIncomplete": rows(ANYONE, "code message openItems"),
    "SeniorTitleRequired": rows(ANYONE, "code message"),
    "LotRecipient": rows(CLINICAL, "client journeyId productName lotNumber dose bodyArea givenAt"),
    "AftercareLeaflet": rows(CARE_TEAM, "language notes procedureType html pdfBase64"),
    "ClientConsultationRecord": rows(CLINICAL, "language seq consultedOn amended html pdfBase64"),
}


# The clinic's complaint counts, in the cockpit and on the live board alike: one audience.
COMPLAINT_COUNTS = SUPERVISORS

JOURNEY_TYPES: dict[str, dict[str, Audience]] = {
    "Journey": {
        **rows(
            CLINIC_STAFF,
            "id stage outcome visitCategory startedAt stageEnteredAt lastEventSeq client"
            " consultant history followUps availableActions diagram linkedJourneyId"
            " warrantyCard procedureType nextRecheckAt nextRecheckKeptBy",
        ),
        # Lab results and assessments are clinical; the cashier and the desk need none of it.
        "checklist": CLINICAL,
        # Money, as a bill's payments and refunds are.
        "payments": MONEY,
        # Which consents the client signed, as the client's consents are read.
        "requiredConsents": CLINICAL,
    },
    "RequiredConsent": rows(CLINICAL, "kind signed signatureId"),
    **PROCEDURE_TYPES,
    "JourneyConnection": rows(CLINIC_STAFF, "edges pageInfo"),
    "JourneyEdge": rows(CLINIC_STAFF, "cursor node"),
    "JourneyPayload": rows(CLINIC_STAFF, "journey"),
    "JourneyEvent": {
        **rows(
            CLINIC_STAFF, "seq action fromStage toStage actorId actorRole at atLocal summary actor"
        ),
        **rows(CLINICAL, "details amendments"),
    },
    "Amendment": rows(CLINIC_STAFF, "id authorId author at reason correction"),
    "AmendmentPayload": rows(CLINIC_STAFF, "amendment"),
    # When the calls are due is everyone's to plan around; how they went is the care team's.
    "FollowUp": {
        **rows(CLINIC_STAFF, "id label dueAt status attempts"),
        **rows(CARE_TEAM, "outcome satisfaction"),
    },
    "ActionAvailability": {
        **rows(CLINIC_STAFF, "action allowed reason"),
        "contraindications": CLINICAL,
    },
    # After-care: the task lists, complications, the survey and warranties.
    "FollowUpTask": rows(
        CARE_TEAM,
        "id kind status journeyId followUpId label dueAt overdue attempts escalated assigneeRole"
        " assigneeId linkedJourneyId journey questions purpose channel photoStage"
        " complicationNote assignee mayAskAboutResults",
    ),
    "FollowUpTaskConnection": rows(CARE_TEAM, "edges pageInfo"),
    "FollowUpTaskEdge": rows(CARE_TEAM, "cursor node"),
    "TaskUpdate": rows(CARE_TEAM, "change task"),
    "TaskCompleted": rows(CARE_TEAM, "task closedAt"),
    "ComplicationReported": rows(CARE_TEAM, "journey recheckJourney"),
    "ComplicationCallTaken": rows(
        COMPLICATION_CALL_TAKERS, "reportId reportedAt journey doctorId recheckJourney"
    ),
    "SurveyResponse": rows(
        CARE_TEAM,
        "id journeyId impression trustInDoctor priceJustified quality comment lowScores recordedAt",
    ),
    "SurveyRecorded": rows(CARE_TEAM, "survey alerted"),
    "SurveyResults": rows(SUPERVISORS, "clinicId month overall byDoctor byProcedureType"),
    "SurveyAverages": rows(
        SUPERVISORS,
        "responses impression trustInDoctor priceJustified quality lowResponses",
    ),
    "SurveyGroup": rows(SUPERVISORS, "key averages names"),
    "AftercarePolicy": rows(
        CLINIC_STAFF, "followUpAssignee overdueAfterHours warrantyDays warrantyTerms"
    ),
    "AftercarePolicyPayload": rows(CLINIC_STAFF, "policy"),
    "WarrantyCard": rows(CLINIC_STAFF, "number issuedAt endsAt terms"),
    "WarrantyClaimed": rows(WARRANTY_DESK, "claimId card claimedAt recheckJourney"),
    "WarrantyExpired": rows(ANYONE, "code message endedOn"),
    "JourneyAlert": rows(CLINIC_STAFF, "cursor action summary at journey stuckReasonCode"),
    # The supervisor cockpit.
    "StuckJourney": rows(SUPERVISORS, "journey stage reason reasonCode since overdueSeconds"),
    "StuckJourneyConnection": rows(SUPERVISORS, "edges pageInfo"),
    "StuckJourneyEdge": rows(SUPERVISORS, "cursor node"),
    "JourneyStats": {
        **rows(SUPERVISORS, "stages overdueTasks overdueInstallments overdueWardTasks"),
        **rows(COMPLAINT_COUNTS, "openComplaints overdueComplaints"),
    },
    "StageStats": rows(SUPERVISORS, "stage active stuck medianSecondsInStageToday"),
    "BoardUpdate": {
        **rows(SUPERVISORS, "change journey stuckReasonCode stats cursor"),
        # (and `supervisorBoard(complaintCounts: true)` is refused to whoever may not read them)
        **rows(COMPLAINT_COUNTS, "openComplaints overdueComplaints"),
    },
    "StageSla": rows(SUPERVISORS, "stage visitCategory seconds isDefault"),
    "StageSlasPayload": rows(SUPERVISORS, "slas"),
    # Every consultant's conversion and average ticket: revenue, for supervisors only.
    "KeyItemStanding": rows(
        SUPERVISORS, "consultantId consultations deals conversionRate averageTicket"
    ),
}
