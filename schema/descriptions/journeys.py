"""Journeys, clients and the clinical records staff write on the way (DOMAIN.md's stages)."""

from __future__ import annotations

_JOURNEY_ID = "The journey (a `Journey` id)."
_CLIENT_ID = "The client (a `Client` id)."

DESCRIPTIONS = {
    # --- the journey and what it shows ----------------------------------------------------
    "Journey.stage": "Where the journey is now; a terminal stage once it has ended.",
    "Journey.visitCategory": "The visit category registered at reception (seed 004).",
    "Journey.startedAt": "When the journey was opened, in UTC.",
    "Journey.stageEnteredAt": "When the journey entered its current stage, in UTC.",
    "Journey.client": "The client this visit is for; null if your role may not see them.",
    "Journey.consultant": "The owning consultant, once triage has assigned one.",
    "Journey.followUps": "The follow-up calls planned after the handover, earliest first.",
    "ActionAvailability.action": "The action.",
    "ActionAvailability.allowed": "Whether you may take it now (your role, the journey's "
    "stage and its rules).",
    "ActionAvailability.reason": "Why not, when not allowed; null when allowed.",
    "JourneyEvent.seq": (
        "The event's place in the journey's log: 1, 2, 3, ... without gaps; a consent "
        "withdrawn after the journey ended comes after its last event, numbered on from it."
    ),
    "JourneyEvent.action": "The action taken, as its trigger name (e.g. `record_consultation`).",
    "JourneyEvent.fromStage": "The stage before; null for the journey's first event.",
    "JourneyEvent.toStage": "The stage after (the same stage when the action did not move it).",
    "JourneyEvent.actorRole": "The role of who acted; SYSTEM for the journey's own clock.",
    "JourneyEvent.summary": (
        "One line for people: what happened (a plan's price, a payment's amount and how a "
        "follow-up call went, only for those who may read them; others read what was done)."
    ),
    "Amendment.id": "The amendment's own id.",
    "Amendment.authorId": "Raw account id of the staff member who corrected the record.",
    "Amendment.at": "When the correction was made, in UTC.",
    "Amendment.reason": "Why the record was corrected.",
    "Amendment.correction": "The corrected fields, as an object.",
    "AmendmentPayload": "The correction, recorded.",
    "AmendmentPayload.amendment": "The amendment just recorded.",
    "FollowUp.id": "Names the call in `completeFollowUp`.",
    "FollowUp.label": "The interval, e.g. 24 h, 1 week, 3 months.",
    "FollowUp.dueAt": "When the call is due, in UTC.",
    "FollowUp.status": "Scheduled, due, done or closed.",
    "FollowUp.attempts": "Calls tried so far.",
    "FollowUp.outcome": "The last call's outcome; null before any call.",
    "FollowUp.satisfaction": "1 to 5, when the client was reached and answered; null when not "
    "reached, and when reached and she asked not to be asked about her results "
    "(`FollowUpTask.mayAskAboutResults` false) and gave none: no score, never a 0.",
    "JourneyPayload.journey": "The journey after the action.",
    "JourneyConnection": "One page of journeys, newest first.",
    "JourneyConnection.edges": "The journeys on this page.",
    "JourneyConnection.pageInfo": "Whether more journeys follow, and the cursors.",
    "JourneyEdge": "A journey on a page, with its cursor.",
    "JourneyEdge.cursor": "Pass as `after` to continue after this journey.",
    "JourneyEdge.node": "The journey.",
    "JourneyFilter": "Narrows `journeys`; omitted fields do not filter.",
    "JourneyFilter.stage": "Only journeys in this stage.",
    "JourneyFilter.consultantId": "Only journeys owned by this consultant (a `StaffMember` id).",
    "JourneyFilter.clientId": "Only this client's journeys (a `Client` id).",
    "JourneyFilter.activeOnly": "Only journeys that have not ended.",
    # --- clients --------------------------------------------------------------------------
    "Client.birthDate": "Date of birth (under 18 needs a guardian's consent).",
    "Client.occupation": "Occupation, as the client gave it.",
    "Client.dataConsentAt": "When the client agreed to their data being kept, in UTC.",
    "Client.createdAt": "When the client's file was opened, in UTC.",
    "ClientConnection": "One page of clients, newest first.",
    "ClientConnection.edges": "The clients on this page.",
    "ClientConnection.pageInfo": "Whether more clients follow, and the cursors.",
    "ClientEdge": "A client on a page, with its cursor.",
    "ClientEdge.cursor": "Pass as `after` to continue after this client.",
    "ClientEdge.node": "The client.",
    "ClientPayload": "The client's file, as registered.",
    "ClientPayload.client": "The client just registered.",
    "RegisterClientInput": "A new client's file: identity, contact and consent to keep data.",
    "RegisterClientInput.fullName": "The client's full name.",
    "RegisterClientInput.birthDate": "Date of birth.",
    "RegisterClientInput.phone": "Phone number.",
    "RegisterClientInput.email": "E-mail, if the client gives one.",
    "RegisterClientInput.occupation": "Occupation, if known now.",
    "RegisterClientInput.registerAnyway": "True: register a new client though the clinic has "
    "one with the same phone, e-mail, or name and birth date, reception having checked they are "
    "different people (twins sharing a phone). Left false, such a registration is answered "
    "`ClientAlreadyRegistered` and nothing is written.",
    # --- reception and triage steps -------------------------------------------------------
    "StartJourneyInput": "Opens a journey (one visit) for a registered client.",
    "StartJourneyInput.clientId": _CLIENT_ID,
    "StartJourneyInput.channel": "How the client came; default walk-in.",
    "JourneyStepInput": "A step that needs nothing but the journey and an optional note.",
    "JourneyStepInput.journeyId": _JOURNEY_ID,
    "JourneyStepInput.note": "An optional note for the record.",
    "AssignConsultantInput": "Gives the client a consultant (or lets the desk choose).",
    "AssignConsultantInput.journeyId": _JOURNEY_ID,
    "CancelJourneyInput": "Ends the journey before treatment: cancelled or declined.",
    "CancelJourneyInput.journeyId": _JOURNEY_ID,
    "CancelJourneyInput.reason": "Why, for the record.",
    "CloseJourneyInput": "Ends a stage's work with a reason (not converted; follow-ups closed).",
    "CloseJourneyInput.journeyId": _JOURNEY_ID,
    "CloseJourneyInput.reason": "Why, for the record.",
    # --- consultation and expert review ---------------------------------------------------
    "RecordConsultationInput": "The consultation's record (seed 002 §3, 003 3.x).",
    "RecordConsultationInput.journeyId": _JOURNEY_ID,
    "RecordConsultationInput.occupation": "The client's occupation (a required field).",
    "RecordConsultationInput.needs": "What the client wants.",
    "RecordConsultationInput.assessment": "The consultant's assessments.",
    "NeedsInput": "The client's needs, in their words.",
    "NeedsInput.areas": "Areas to treat, e.g. face, eyes: 1 to 20, each up to 200 characters.",
    "NeedsInput.goal": "What the client wants to achieve.",
    "NeedsInput.expectation": "What result the client expects.",
    "NeedsInput.earlierTreatments": "Her earlier treatments, up to 20, each with roughly when "
    "and its effect (seed 003, 3.2). Name them or set `noEarlierTreatments`: neither, or both, "
    "is ValidationFailed on the field (`needs.earlierTreatments`, `needs.noEarlierTreatments`).",
    "NeedsInput.noEarlierTreatments": "True when she says she has had no earlier treatment: "
    "the consultant says so rather than leave `earlierTreatments` out. The record keeps it as "
    "`needs.no_earlier_treatments`: true, false when they are named, null on a consultation "
    "recorded before it was asked (read as not asked).",
    "EarlierTreatmentInput": "One earlier treatment of hers, as she tells it.",
    "EarlierTreatmentInput.what": "What was done (and where), up to 200 characters: botox, "
    "forehead.",
    "EarlierTreatmentInput.when": "When, roughly, up to 100 characters: 2023, two years ago.",
    "EarlierTreatmentInput.effect": "How it worked for her: its effect, how long it lasted, "
    "anything that went wrong.",
    "AssessmentInput": "The consultant's three assessments of the client: none may be blank.",
    "AssessmentInput.psychological": "Psychological state and expectations.",
    "AssessmentInput.spendingCapacity": "Spending capacity.",
    "AssessmentInput.physicalCondition": "Physical condition.",
    "PlanInput": "A proposed treatment plan.",
    "PlanInput.title": "A short name for the plan.",
    "PlanInput.items": "The items (procedures, products) in the plan: 1 to 50, each up to 200 "
    "characters.",
    "PlanInput.effect": "The expected effect.",
    "PlanInput.cycle": "The treatment cycle, e.g. one session or three sessions a month apart.",
    "PlanInput.currency": "An ISO 4217 code, e.g. EUR or PLN. The expert's final plan must be "
    "in the one the clinic bills in (`billingSettings`): the bill is made from it.",
    "PlanInput.risks": "Risks and possible complications.",
    "PlanInput.recovery": "Recovery time and what it involves.",
    "PlanInput.requiresAnesthesia": "Anesthesia needed: an anesthesia consent will be required. "
    "A final plan whose procedure type is given under anaesthesia (every surgery; any type "
    "published with `anaesthesia` LOCAL or GENERAL) must say true: ValidationFailed "
    "(INCONSISTENT) on `finalPlan.requiresAnesthesia` otherwise.",
    "RequestExpertReviewInput": "Asks an expert for the joint consultation, with a briefing.",
    "RequestExpertReviewInput.journeyId": _JOURNEY_ID,
    "RequestExpertReviewInput.expertId": "The expert (a `StaffMember` id of an active expert).",
    "RequestExpertReviewInput.briefing": "What the consultant tells the expert first.",
    "BriefingInput": "The consultant's briefing of the expert (seed 003 step 4).",
    "BriefingInput.goal": "The client's goal.",
    "BriefingInput.expectation": "The client's expectation.",
    "BriefingInput.history": "Relevant history: earlier treatments, conditions.",
    "BriefingInput.proposedItems": "The items the consultant proposes: at most 50, each up to "
    "200 characters.",
    "BriefingInput.priceProtection": "The price already discussed, to protect it, if any.",
    "BriefingInput.helpWanted": "What help the consultant wants from the expert.",
    "CompleteExpertReviewInput": "The expert's decision after the joint consultation.",
    "CompleteExpertReviewInput.journeyId": _JOURNEY_ID,
    "CompleteExpertReviewInput.decision": "Approve the final plan or refuse medically.",
    # --- consent and payment --------------------------------------------------------------
    "SignConsentInput": "One signed informed consent.",
    "SignConsentInput.journeyId": _JOURNEY_ID,
    "SignConsentInput.kind": "Which consent.",
    "SignConsentInput.signerName": "Who signed: the client (or the guardian's name below).",
    "SignConsentInput.templateId": "The consent template signed.",
    "SignConsentInput.templateVersion": "The template's version, kept with the signature.",
    "SignConsentInput.language": "The template's language (default pl).",
    "SignConsentInput.photoPurposes": "PHOTO consent: what the photos may be used for.",
    "RecordPaymentInput.journeyId": _JOURNEY_ID,
    "RecordPaymentInput.currency": "ISO 4217 code, e.g. EUR or PLN.",
    "RecordPaymentInput.method": "How the client paid.",
    "RecordPaymentInput.kind": "Full payment, deposit, top-up, installment plan, installment or "
    "a part of the bill.",
    "RecordPaymentInput.receiptNumber": "A till's own receipt number, if it printed one "
    "(the clinic's numbered receipt is `Payment.receiptNumber`).",
    # --- treatment and handover -----------------------------------------------------------
    "StartTreatmentInput": "The checks on the day; the treatment begins.",
    "StartTreatmentInput.journeyId": _JOURNEY_ID,
    "PreTreatmentChecksInput.identityVerified": "The client's identity was verified again.",
    "PreTreatmentChecksInput.planVerified": "The plan was verified again with the client.",
    "PreTreatmentChecksInput.pregnancyExcluded": "Pregnancy excluded.",
    "PreTreatmentChecksInput.lactationExcluded": "Lactation excluded.",
    "PreTreatmentChecksInput.allergiesChecked": "Allergies checked.",
    "PreTreatmentChecksInput.medicationChecked": "Current medication checked.",
    "CompleteTreatmentInput": "What was done, by whom, with which products.",
    "CompleteTreatmentInput.journeyId": _JOURNEY_ID,
    "CompleteTreatmentInput.procedure": "The procedure performed.",
    "CompleteTreatmentInput.products": "Products administered, with lots and doses: at most 50.",
    "ProductInput": "One product administered (seed 000: tracking products).",
    "ProductInput.name": "The product's name.",
    "ProductInput.lotNumber": "Its lot number.",
    "ProductInput.dose": "The dose given, with its unit.",
    "HandOverInput": "The post-op handover: how the treatment went, aftercare and discomfort "
    "notes for the client.",
    "HandOverInput.journeyId": _JOURNEY_ID,
    "HandOverInput.aftercare": "Written aftercare instructions.",
    "HandOverInput.nextRecheckAt": "The next recheck booked, if any (UTC when sent without an "
    "offset): after the handover and at most 400 days after it. Kept in the handover's record "
    "(`Journey.nextRecheckAt`; moved by `amendRecord` with `next_recheck_at`) and put on the "
    "list of whoever makes the clinic's after-care calls as a RECHECK task due 24 hours "
    "before it.",
    "HandOverInput.course": "How the treatment went, as the treating doctor tells the "
    "consultant (seed 003 9.1, seed 002 4.3). Required: null is refused (nullable only for "
    "clients written before it was). Kept in the handover's record, read in the journey's "
    "`history` (`details.course`).",
    "HandOverInput.courseNote": "The doctor's short assessment: required with WITH_DEVIATIONS "
    "(what differed from the plan and what was done about it), optional otherwise.",
    "DiscomfortNotesInput.normal": "What is normal and when it passes.",
    "DiscomfortNotesInput.callNow": "What is not normal and means call the clinic now.",
    "DiscomfortNotesInput.selfCare": "What the client can do themselves.",
    "DiscomfortNotesInput.activities": "Effect on daily activities, sport, sun, work.",
    "CompleteFollowUpInput": "One follow-up call and what came of it.",
    "CompleteFollowUpInput.journeyId": _JOURNEY_ID,
    "CompleteFollowUpInput.followUpId": "The call (`FollowUp.id`).",
    "CompleteFollowUpInput.outcome": "Reached or not reached (then it is tried again).",
    "CompleteFollowUpInput.note": "What the client said, if anything to note.",
    "AmendRecordInput": "A correction of a recorded action: an amendment, never an edit.",
    "AmendRecordInput.journeyId": _JOURNEY_ID,
    "AmendRecordInput.reason": "Why the record is corrected.",
}
