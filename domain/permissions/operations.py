"""Rows of the permission table: every query, mutation and subscription."""

from __future__ import annotations

from domain.journey.table import Action
from domain.permissions.audiences import (
    ADMINS,
    ANYONE,
    CARE_TEAM,
    CLINIC_STAFF,
    CLINICAL,
    CLINICAL_RECORDERS,
    COMPLAINT_TAKERS,
    COMPLICATION_CALL_TAKERS,
    DESK,
    DESK_VIEW,
    MONEY,
    MONEY_VIEW,
    PHOTO_CONSENT_RECORDERS,
    PHOTOGRAPHERS,
    REGISTRARS,
    SUPERVISORS,
    TITLE_SETTERS,
    WARRANTY_DESK,
    Audience,
    R,
    of_roles,
    rows,
    takers_of,
)

QUERIES: dict[str, Audience] = {
    "me": ANYONE,
    "myPermissions": ANYONE,
    **rows(CLINIC_STAFF, "node journey journeys client clients consentTemplates catalog"),
    "consentDocument": CLINICAL,
    "myTasks": CARE_TEAM,
    "aftercarePolicy": CLINIC_STAFF,
    "recordsCustodian": CLINIC_STAFF,
    # To whom the file went: the custodian's record, read as the audit trail is.
    "fileDisclosures": SUPERVISORS,
    "surveyResults": SUPERVISORS,
    # The complaints waiting for the clinic's answer: the supervisors', who answer them.
    "openComplaints": SUPERVISORS,
    # When the clinic is closed: anyone of its staff may plan around it.
    "clinicDaysOff": CLINIC_STAFF,
    "procedureTypes": CLINIC_STAFF,
    "lotRecipients": CLINICAL,
    "aftercareLeaflet": CARE_TEAM,
    # Printed at the end of the consultation, for the client; read again at any later visit.
    # It is the consultation's record (`JourneyEvent.details`) on paper: the same audience, and
    # the same parts left out (a plan's price, `schema/journeys/told.py`).
    "clientConsultationRecord": CLINICAL,
    **rows(CLINIC_STAFF, "priceList billingSettings"),
    **rows(MONEY, "bill billingHistory"),
    **rows(
        SUPERVISORS,
        "stuckJourneys journeyStats overdueWardTasks stageSlas keyItemRanking auditLog",
    ),
    "consultantFigures": SUPERVISORS,
    **rows(MONEY_VIEW, "partners partnerStatement"),
    **rows(DESK_VIEW, "triageBoard triageLog"),
}

MUTATIONS: dict[str, Audience] = {
    "login": ANYONE,
    # A retry must get its first answer though that answer signed the token out: these check
    # the token themselves (a genuine one, revoked or not) and answer `NotAuthorized` without.
    **rows(ANYONE, "logout changePassword"),
    "registerClient": REGISTRARS,
    "amendClientIdentity": REGISTRARS,
    # The custodian's act: the copy carries the file's audit trail (supervisors' to read).
    "exportClientFile": SUPERVISORS,
    # Sharing the file outside the clinic, on the client's written consent: the custodian's
    # act too; naming the custodian is a clinic setting, a supervisor's.
    **rows(SUPERVISORS, "recordFileDisclosure setRecordsCustodian"),
    # The client's consent to share her file, signed for her in no journey and withdrawn:
    # clinicians witness it as they witness a consent signed in a journey.
    **rows(CLINICAL, "signSharingConsent withdrawSharingConsent"),
    **rows(
        CLINICAL_RECORDERS,
        "recordMedicalHistory recordAllergy recordMedication recordPregnancyStatus",
    ),
    "addServiceCardEntry": CLINIC_STAFF,
    # The ward after an operation (seed 003): the nurse observes and records ("护士根据医嘱执行
    # 术后护理以及记录登记"), a doctor may too; the next day's round is the doctor's or the
    # doctor's assistant's ("医生/医助"), who signs in as a nurse.
    **rows(of_roles(R.NURSE, R.EXPERT), "recordPostOpObservation recordWardRound"),
    # The entry's author or a supervisor: who wrote it is checked against the entry.
    **rows(CLINIC_STAFF, "amendClientEntry markEnteredInError"),
    "startJourney": takers_of(Action.CHECK_IN),
    "checkIn": takers_of(Action.CHECK_IN),
    "assignConsultant": takers_of(Action.ASSIGN_CONSULTANT),
    "recordConsultation": takers_of(Action.RECORD_CONSULTATION),
    "closeNotConverted": takers_of(Action.CLOSE_NOT_CONVERTED),
    "requestExpertReview": takers_of(Action.REQUEST_EXPERT_REVIEW),
    "completeExpertReview": takers_of(Action.APPROVE_PLAN, Action.REFUSE_MEDICALLY),
    "signConsent": takers_of(Action.SIGN_CONSENT),
    "deferConsent": takers_of(Action.DEFER_CONSENT),
    "withdrawConsent": takers_of(Action.WITHDRAW_CONSENT),
    "publishConsentTemplate": SUPERVISORS,
    "setCatalogItem": SUPERVISORS,
    "uploadPhoto": PHOTOGRAPHERS,
    "setPhotoConsent": PHOTO_CONSENT_RECORDERS,
    "setProcedureType": SUPERVISORS,
    # Those who treat check before treatment (DOMAIN.md stage 7).
    "completeChecklistItem": takers_of(Action.START_TREATMENT),
    **rows(SUPERVISORS, "setPriceListItem setBillingSettings"),
    **rows(MONEY, "createBill confirmBill"),
    "recordPayment": takers_of(Action.RECORD_PAYMENT),
    # Before treatment a cashier; after it a supervisor (checked against the journey).
    "recordRefund": takers_of(Action.REFUND),
    "startTreatment": takers_of(Action.START_TREATMENT),
    # The journey's own expert only: the journey checks whose it is.
    "overrideContraindication": takers_of(Action.OVERRIDE_CONTRAINDICATION),
    "completeTreatment": takers_of(Action.COMPLETE_TREATMENT),
    "handOver": takers_of(Action.HAND_OVER),
    "completeFollowUp": takers_of(Action.COMPLETE_FOLLOW_UP),
    "closeFollowUps": takers_of(Action.CLOSE_FOLLOW_UPS),
    "reportComplication": takers_of(Action.COMPLETE_FOLLOW_UP),
    # The client calls whoever answers: the desk, the clinicians, the callers, a supervisor.
    "reportComplicationCall": COMPLICATION_CALL_TAKERS,
    "recordSurvey": of_roles(R.FOLLOW_UP_STAFF, R.SUPERVISOR),
    # A complaint is taken by whoever the client tells; answered and resolved by a supervisor
    # (seed 004: an unhappy client is the on-site supervisor's to help).
    "recordComplaint": COMPLAINT_TAKERS,
    **rows(SUPERVISORS, "respondToComplaint resolveComplaint"),
    # The clinic's closed days shape when a complaint's answer is due: the supervisors'.
    "setClinicDaysOff": SUPERVISORS,
    "claimWarranty": WARRANTY_DESK,
    # Whoever may hold a task; the resolver checks it is theirs (or the asker supervises).
    "completeTask": CARE_TEAM,
    "setAftercarePolicy": SUPERVISORS,
    "cancelJourney": takers_of(Action.CANCEL, Action.DECLINE),
    "markNoShow": takers_of(Action.MARK_NO_SHOW),
    "reassignJourney": takers_of(Action.REASSIGN),
    "reassignExpertReview": takers_of(Action.REASSIGN_EXPERT_REVIEW),
    "nudgeJourney": takers_of(Action.NUDGE),
    "escalateJourney": takers_of(Action.ESCALATE),
    "closeJourney": takers_of(Action.CLOSE),
    # The author of a record or a supervisor: who wrote it is checked against the record.
    "amendRecord": CLINIC_STAFF,
    "setStageSla": SUPERVISORS,
    "autoAssign": DESK,
    "markEmergency": DESK,
    "setRotationOrder": DESK,
    # A consultant may change their own seat (status, delegate); the desk checks whose.
    "updateTriageSeat": DESK_VIEW,
    "acceptClient": DESK_VIEW,
    "recordLeadContact": REGISTRARS,
    "reclassifyVisit": of_roles(R.SUPERVISOR, R.EXPERT),
    **rows(
        SUPERVISORS,
        "placeVip reassignClient correctDeskRecord consultantLeft setKeyItemPriority"
        " setRotationPolicy registerPartner",
    ),
    **rows(ADMINS, "createClinic createStaffAccount updateStaffAccount resetStaffPassword"),
    "setSeniorTitle": TITLE_SETTERS,
}

SUBSCRIPTIONS: dict[str, Audience] = {
    "journeyChanged": CLINIC_STAFF,
    "supervisorBoard": SUPERVISORS,
    "myJourneyAlerts": of_roles(R.CONSULTANT),
    "tasksChanged": CARE_TEAM,
    "triageBoardChanged": DESK_VIEW,
}

OPERATIONS: dict[str, dict[str, Audience]] = {
    "Query": QUERIES,
    "Mutation": MUTATIONS,
    "Subscription": SUBSCRIPTIONS,
}
