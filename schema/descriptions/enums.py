"""The enums and their values, in the clinics' words (DOMAIN.md)."""

from __future__ import annotations

DESCRIPTIONS = {
    "ArrivalChannel": "How the client came to the clinic for this visit.",
    "ArrivalChannel.WALK_IN": "Came in without a booking.",
    "ArrivalChannel.PHONE_BOOKING": "Booked by phone.",
    "ArrivalChannel.ONLINE_BOOKING": "Booked online.",
    "ArrivalChannel.PARTNER_REFERRAL": "Sent by a partner salon (announced by the liaison).",
    "ArrivalChannel.CLIENT_REFERRAL": "Referred by an existing client.",
    "BoardChange.STUCK": "The journey went past its stage SLA.",
    "BoardChange.UNSTUCK": "A stuck journey moved on or ended.",
    "BoardChange.MOVED": "The journey changed stage in time.",
    "BoardChange.RESYNC": "Updates were dropped for a slow subscriber: refetch the board; "
    "`journey` is null.",
    "BoardChange.STARTED": "Only with `supervisorBoard(announceStart: true)`, as its first "
    "update: every change of the board from now on is pushed, so read `stuckJourneys` now (read "
    "before it, a journey stuck meanwhile may be in neither; subscribed with `after`, what you "
    "missed follows instead). The counts as they stand and a `cursor` to resume from; `journey` "
    "is null.",
    "BoardChange.COMPLAINTS": "Only with `supervisorBoard(complaintCounts: true)`: a complaint "
    "of the clinic was recorded, answered or resolved, or complaints turned overdue as their "
    "first answer's due time passed unanswered. `openComplaints` and `overdueComplaints` as "
    "they stand; `journey` is null.",
    "ClientMatchedOn.NAME_AND_BIRTH_DATE": "The same full name (spacing and case ignored) and "
    "birth date.",
    "ClientMatchedOn.PHONE": "The same phone number, written with or without the country code of "
    "the clinic's country.",
    "ClientMatchedOn.EMAIL": "The same e-mail address, case ignored.",
    "CompanionRule": "How the desk counts companions who arrive with a main client (seed 004: "
    "the clinics' handbooks differ).",
    "CompanionRule.EACH_TAKES_TURN": "Each companion takes a rotation turn, unless the group "
    "asks for one consultant (then all count for that one).",
    "CompanionRule.REGISTERED_AS_OTHER": "Only the main client is a first visit; companions are "
    "registered as OTHER and do not count as turns.",
    "ComplaintChannel": "How a client's complaint reached the clinic.",
    "ComplaintChannel.IN_PERSON": "Told to staff at the clinic.",
    "ComplaintChannel.PHONE": "By phone.",
    "ComplaintChannel.LETTER": "By letter.",
    "ComplaintChannel.EMAIL": "By e-mail (receiving one shares nothing of her file).",
    "ComplaintChannel.ONLINE": "On the clinic's website, a review site or social media.",
    "ComplaintChannel.FOLLOW_UP_CALL": "On one of the clinic's follow-up calls.",
    "ComplaintCategory": "What a complaint is about.",
    "ComplaintCategory.CONSULTANT": "Her consultant (seed 004: a client unhappy with hers may "
    "ask for another, which a supervisor does with `reassignClient`).",
    "ComplaintCategory.STAFF_CONDUCT": "How a member of staff behaved.",
    "ComplaintCategory.TREATMENT_RESULT": "The result of a treatment.",
    "ComplaintCategory.COMPLICATION": "A complication (reported as such with "
    "`reportComplicationCall`, which books her recheck).",
    "ComplaintCategory.BILLING": "A bill, a payment or a refund.",
    "ComplaintCategory.WAITING": "Waiting: at the clinic, or for an answer or an appointment.",
    "ComplaintCategory.PRIVACY": "Her data or her photos.",
    "ComplaintCategory.OTHER": "Anything else.",
    "ComplaintStatus": "Where a complaint stands, read from its answers.",
    "ComplaintStatus.OPEN": "Not answered yet: overdue once its first answer is due.",
    "ComplaintStatus.ANSWERED": "Answered, not resolved.",
    "ComplaintStatus.RESOLVED": "Resolved: it takes nothing more.",
    "ComplaintEntryKind": "What an entry of a complaint is.",
    "ComplaintEntryKind.RESPONSE": "An answer to the client (`respondToComplaint`).",
    "ComplaintEntryKind.RESOLUTION": "The resolution (`resolveComplaint`), its last entry.",
    "ComplaintOutcome": "How a complaint ended.",
    "ComplaintOutcome.UPHELD": "Found justified, and put right.",
    "ComplaintOutcome.PARTLY_UPHELD": "Found justified in part.",
    "ComplaintOutcome.NOT_UPHELD": "Not found justified; the client was told why.",
    "ComplaintOutcome.WITHDRAWN": "The client withdrew it.",
    "ConsentKind": "Which informed consent a signature is for.",
    "ConsentKind.PROCEDURE": "Consent to the procedure: purpose, effect, risks, alternatives, "
    "aftercare.",
    "ConsentKind.ANESTHESIA": "Anesthesia consent, needed when the plan requires anesthesia.",
    "ConsentKind.PHOTO": "Photo consent, with the purposes the photos may be used for.",
    "ConsentKind.DATA_PROCESSING": "Consent to the processing of the client's personal data.",
    "ConsentKind.DATA_SHARING": "Written consent to share the client's file, or parts of it, "
    "with someone outside the clinic (`recordFileDisclosure` needs one signed, not withdrawn); "
    "it outlives its journey and is withdrawn at any time.",
    "TreatmentCourse": "How a treatment went, as the treating doctor tells it at the handover.",
    "TreatmentCourse.AS_PLANNED": "As the approved plan said, without deviations.",
    "TreatmentCourse.WITH_DEVIATIONS": "Otherwise than planned in some way (a change of the "
    "procedure, an intra-operative event); `courseNote` says how.",
    "SignerCapacity": "In what capacity someone signs a consent.",
    "SignerCapacity.CLIENT": "The client signs for themself (18 or older).",
    "SignerCapacity.GUARDIAN": "A guardian signs for the client (needed under 18).",
    "SignatureFormat": "How a drawn signature is sent and stored.",
    "SignatureFormat.SVG_PATH": "SVG path data (the `d` attribute), commands and numbers only.",
    "SignatureFormat.PNG": "A PNG image, base64-encoded.",
    "DisclosureChannel": "How parts of a client's file reached someone outside the clinic: only "
    "the ways the handbook allows (seed 000: never e-mail, Dropbox, iCloud or a personal drive).",
    "DisclosureChannel.IN_PERSON": "Handed over on paper at the clinic, to the recipient named.",
    "DisclosureChannel.REGISTERED_POST": "Sealed, by registered post, signed for on delivery.",
    "DisclosureChannel.ENCRYPTED_MEDIUM": "On an encrypted medium of the clinic's, handed over.",
    "DisclosureChannel.PROVIDER_EXCHANGE": "Through a secure exchange between healthcare "
    "providers.",
    "DisclosedPart": "A part of the client's file that may be disclosed (never the service "
    "card: the clinic's own notes, which go to no one but the client).",
    "DisclosedPart.IDENTITY": "Name, birth date and contact details.",
    "DisclosedPart.MEDICAL_HISTORY": "The medical and cosmetic history.",
    "DisclosedPart.ALLERGIES": "The allergies.",
    "DisclosedPart.MEDICATIONS": "The medications, those she has stopped with their day.",
    "DisclosedPart.PREGNANCY_STATUS": "Pregnancy and lactation as stated.",
    "DisclosedPart.CONSENTS": "The consents signed, with their text.",
    "DisclosedPart.PHOTOS": "Photos of the client.",
    "DisclosedPart.TREATMENTS": "The treatments performed, products and lots.",
    "DisclosedPart.COMPLICATIONS": "Complications reported after treatments.",
    "DisclosedPart.BILLING": "Bills and payments.",
    "ErrorCode": "The stable code of an error; branch on it (or on `__typename`), not on the "
    "message.",
    "ErrorCode.TRANSITION_NOT_ALLOWED": "The journey's stage (or the desk) does not allow "
    "this action now.",
    "ErrorCode.NOT_AUTHORIZED": "Not signed in, or your role may not do this.",
    "ErrorCode.VALIDATION_FAILED": "The input is malformed or incomplete; see the problems.",
    "ErrorCode.NOT_FOUND": "No such object, or not visible to you.",
    "ErrorCode.CONFLICT": "Clashes with an earlier request, e.g. an idempotency key reused "
    "for other input.",
    "ErrorCode.TOO_MANY_ATTEMPTS": "Too many failed attempts; wait before trying again.",
    "ErrorCode.CONTRAINDICATION_FOUND": "The client's record rules out something in the final "
    "plan; see the reasons (the journey's expert may override each one).",
    "ErrorCode.SHARING_CONSENT_MISSING": "The client has no signed DATA_SHARING consent in "
    "force: their file is not shared.",
    "ErrorCode.WARRANTY_EXPIRED": "The warranty claimed on had already ended.",
    "ErrorCode.UNAVAILABLE": "The journey or the desk did not answer in time; send the same "
    "request again with the same idempotencyKey.",
    "ErrorCode.ALREADY_REGISTERED": "The clinic already has a client with this phone, e-mail, "
    "or name and birth date; see the existing clients.",
    "ExpertDecision": "The expert's final say on the plan after the joint consultation.",
    "ExpertDecision.APPROVE": "Approves the final plan: the journey goes on to consent.",
    "ExpertDecision.REFUSE": "Refuses on medical grounds: the journey ends.",
    "FollowUpOutcome": "What came of a follow-up call.",
    "FollowUpOutcome.REACHED": "The client was reached.",
    "FollowUpOutcome.NOT_REACHED": "The client was not reached; the call is tried again.",
    "FollowUpOutcome.COMPLICATION": "The client reported a complication: recorded with "
    "`reportComplication`, which alerts the treating doctor and opens a recheck journey.",
    "TaskKind.FOLLOW_UP_CALL": "A follow-up call that fell due (or its retry).",
    "TaskKind.COMPLICATION": "A complication reported on a call (`reportComplication`), or "
    "called in by the client between the calls or after them (`reportComplicationCall`: no "
    "`followUpId`, what they said in `complicationNote`): for the treating doctor (the "
    "performer of the treatment, else the approving expert; any doctor when neither is still "
    "a doctor of the clinic), now; settled when the recheck serving it ends.",
    "TaskKind.LOW_SURVEY_SCORE": "A phone survey with a low score: for a supervisor.",
    "TaskKind.INVITATION": "A consultation that did not convert: its consultant invites the "
    "client back, a week after (seed 003); the supervisors' when the consultant has left. "
    "Closed by hand with `completeTask` and a note.",
    "TaskKind.RECHECK": "The reminder of the recheck booked at the handover "
    "(`Journey.nextRecheckAt`), due 24 hours before it (at the handover when the recheck is "
    "sooner), so the client is reminded before the visit: for whoever makes the journey's "
    "after-care calls (the policy's `followUpAssignee`), following them as they move. A "
    "correction of the booking (`amendRecord`, `next_recheck_at`) moves it while open. Closed "
    "by hand with `completeTask` and a note.",
    "TaskKind.PHOTO": "A photo of the procedure type's photo schedule (before, suture "
    "removal, 3 months, 1 year...): for the care team; uploading a photo of its `photoStage` "
    "for the journey settles it; the client taking back the consent she gave to photos for "
    "the clinical record closes it (`NO_PHOTO_CONSENT`).",
    "TaskKind.WARD_READING": "A reading of the vital signs the ward owes after an operation "
    "(seed 003: once an hour, through the first 6 hours), `label` its hour (`1h`...`6h`), due "
    "that many hours after the operation's end: for the nurses. An observation "
    "(`recordPostOpObservation`, or its correction) whose `observedAt` is within half an hour "
    "either side of `dueAt` settles it; overdue once that half hour after it has passed "
    "without one. A reading missed is closed by hand with `completeTask` and a note.",
    "TaskKind.WARD_ROUND": "The doctor's round on the day after an operation in the clinic's "
    "calendar (`label`, the day; due at its midnight): for the doctor who operated (else the "
    "approving expert; any doctor when neither is still a doctor of the clinic). The round "
    "(`recordWardRound`, by the doctor or the assistant) settles it; overdue once that day "
    "has ended without one, then closed by hand with `completeTask` and a note.",
    "FollowUpAssignee.FOLLOW_UP_STAFF": "The clinic's follow-up staff share the calls.",
    "FollowUpAssignee.OWNING_CONSULTANT": "Each client's own consultant makes their calls.",
    "TaskStatus.OPEN": "Still to do.",
    "TaskStatus.DONE": "Done: the call was made with an outcome.",
    "TaskStatus.CLOSED": "Closed without a call (the journey or its follow-ups were closed).",
    "TaskStatus.NO_PHOTO_CONSENT": "A photo reminder (PHOTO) closed because the client took "
    "back the consent she had given to photos for the clinical record, which every photo needs "
    "(`setPhotoConsent` with `given: false` while it stood given, or `withdrawConsent` of a "
    "PHOTO consent whose withdrawal withdrew that purpose): closed by who recorded the "
    "withdrawal, or written so by a treatment while that withdrawal stands. A withdrawal of a "
    "purpose she never gave closes none. Giving the consent again opens none of them again.",
    "TaskChange.CHANGED": "The task was added or changed, or turned overdue with time (pushed "
    "once, `overdue` true, as `myTasks(overdue: true)` first lists it).",
    "TaskChange.LEFT": "The task was yours and is someone else's now: take it off your list.",
    "TaskChange.RESYNC": "Changes were dropped for a slow subscriber: read `myTasks` again.",
    "TaskChange.STARTED": "Only with `tasksChanged(announceStart: true)`, as its first push: "
    "every change of your list from now on is pushed, so read `myTasks` now (read before it, "
    "a task moved meanwhile may be in neither). No task.",
    "FollowUpStatus": "Where a follow-up call stands.",
    "FollowUpStatus.SCHEDULED": "Planned; not yet due.",
    "FollowUpStatus.DUE": "Due now: an open task for follow-up staff.",
    "FollowUpStatus.DONE": "Made, with its outcome recorded.",
    "FollowUpStatus.CLOSED": "Closed by a supervisor without a call.",
    "JourneyAction": "The actions of the journey's state machine: what staff (or the journey's "
    "own clock) can do to a journey.",
    "JourneyAction.CHECK_IN": "Front desk: a booked client has arrived; on to triage.",
    "JourneyAction.ASSIGN_CONSULTANT": "Triage: the client is given a consultant.",
    "JourneyAction.RECORD_CONSULTATION": "Consultant: needs, assessment and one to three "
    "proposed plans.",
    "JourneyAction.CLOSE_NOT_CONVERTED": "Consultant: the client did not convert; a follow-up "
    "invitation is due.",
    "JourneyAction.REQUEST_EXPERT_REVIEW": "Consultant: brief the expert for the joint "
    "consultation.",
    "JourneyAction.APPROVE_PLAN": "Expert: approves the final plan.",
    "JourneyAction.REFUSE_MEDICALLY": "Expert: refuses on medical grounds.",
    "JourneyAction.SIGN_CONSENT": "A signed consent (procedure, anesthesia, photo, data).",
    "JourneyAction.DEFER_CONSENT": "The client wants a second talk; the journey waits.",
    "JourneyAction.WITHDRAW_CONSENT": "A consent withdrawn; before treatment it ends the journey.",
    "JourneyAction.RECORD_PAYMENT": "Cashier: a payment, deposit, top-up or installment plan.",
    "JourneyAction.REFUND": "Cashier or supervisor: money given back before treatment; the "
    "journey ends as REFUNDED.",
    "JourneyAction.START_TREATMENT": "Checks on the day done; treatment begins.",
    "JourneyAction.OVERRIDE_CONTRAINDICATION": "The journey's expert sets aside one "
    "contraindication found at the start of treatment, with a justification.",
    "JourneyAction.COMPLETE_TREATMENT": "What was done, by whom, with which products and lots.",
    "JourneyAction.HAND_OVER": "Post-op handover: aftercare and discomfort notes; follow-ups "
    "begin.",
    "JourneyAction.FOLLOW_UP_DUE": "The journey's clock: a follow-up call is due. No one calls it.",
    "JourneyAction.COMPLETE_FOLLOW_UP": "Follow-up staff: a follow-up call and its outcome.",
    "JourneyAction.CLOSE_FOLLOW_UPS": "Supervisor: closes the open follow-ups.",
    "JourneyAction.DECLINE": "The client declines; the journey ends.",
    "JourneyAction.CANCEL": "The clinic cancels the journey (before treatment begins).",
    "JourneyAction.MARK_NO_SHOW": "A booked client did not come (to reception or to the "
    "treatment).",
    "JourneyAction.MARK_STUCK": "The journey's clock: it went past its stage SLA. No one calls it.",
    "JourneyAction.REASSIGN": "Supervisor (or the triage desk): a new owning consultant.",
    "JourneyAction.REASSIGN_EXPERT_REVIEW": "Supervisor: a waiting expert review goes to "
    "another expert, who then decides it.",
    "JourneyAction.RETURN_TO_TRIAGE": "The triage desk only: the day ended with the client "
    "still waiting for the consultant it named; back at TRIAGE, unassigned, to be placed anew.",
    "JourneyAction.NUDGE": "Supervisor: a note to the journey's owner.",
    "JourneyAction.ESCALATE": "Supervisor: escalates the journey.",
    "JourneyAction.CLOSE": "Supervisor: closes the journey for good.",
    "JourneyStage": "The stages of a journey, in order, then the ways it can end.",
    "JourneyStage.RECEPTION": "Registered; the booked client has not arrived yet.",
    "JourneyStage.TRIAGE": "Arrived; waiting to be given a consultant.",
    "JourneyStage.CONSULTATION": "With the consultant: needs, assessment, plans.",
    "JourneyStage.EXPERT_REVIEW": "The expert reviews the plan with the consultant; the "
    "expert has the final say.",
    "JourneyStage.CONSENT": "Informed consents to sign; a doubting client may defer.",
    "JourneyStage.PAYMENT": "The itemised bill to pay (in full, deposit or installments).",
    "JourneyStage.TREATMENT": "Checks on the day, then the treatment.",
    "JourneyStage.HANDOVER": "Treated; the doctor hands over to the consultant with aftercare.",
    "JourneyStage.FOLLOW_UP": "Follow-up calls at their intervals.",
    "JourneyStage.COMPLETED": "Ended: the last follow-up done, or the follow-ups closed.",
    "JourneyStage.NOT_CONVERTED": "Ended: the client did not convert after the consultation.",
    "JourneyStage.DECLINED": "Ended: the client declined.",
    "JourneyStage.MEDICALLY_REFUSED": "Ended: the expert refused on medical grounds.",
    "JourneyStage.CANCELLED": "Ended: cancelled by the clinic.",
    "JourneyStage.NO_SHOW": "Ended: the booked client did not come.",
    "JourneyStage.REFUNDED": "Ended: the client's money was given back before treatment.",
    "LeadChannel": "How a lead (a prospective client) contacted the clinic.",
    "LeadChannel.PHONE": "By phone.",
    "LeadChannel.ONLINE": "Online (chat, form, messenger).",
    "PaymentKind": "What a payment is.",
    "PaymentKind.FULL": "The whole bill.",
    "PaymentKind.DEPOSIT": "A deposit (预约金): it books, it does not settle the bill.",
    "PaymentKind.TOP_UP": "The rest after a deposit.",
    "PaymentKind.INSTALLMENT": "One installment of an agreed plan.",
    "PaymentKind.PARTIAL": "A part of the bill.",
    "PaymentKind.INSTALLMENT_PLAN": "A payment under an agreed installment plan; the plan "
    "settles the bill for treatment.",
    "PaymentMethod": "How the client paid.",
    "PaymentMethod.CASH": "Cash.",
    "PaymentMethod.CARD": "Payment card.",
    "PaymentMethod.BANK_TRANSFER": "Bank transfer.",
    "PaymentMethod.FINANCING": "Through a financing company.",
    "RefundKind.REVERSAL": "The payment is undone, in part or in full (a card charged in "
    "error, a wrong amount corrected): what it paid is owed again, so `Bill.outstanding` rises "
    "by it and an installment it paid that is already due is late again until paid. Before "
    "the treatment a correction: the journey counts it and goes on. What a refund sent "
    "without a kind is once the treatment began.",
    "RefundKind.WITHDRAWAL": "The client withdraws before the treatment: what she is given "
    "back may be part of what she paid, the rest kept (a forfeited deposit). The journey ends "
    "as REFUNDED and she owes nothing more. Refused once the treatment began. What a refund "
    "sent without a kind is before the treatment.",
    "RefundKind.GOODWILL": "Money the clinic gives back to a client after the treatment began "
    "(a satisfied-but-compensated client, a complaint settled): the bill no longer asks for it, "
    "so it lowers what is owed as much as what is held; `Bill.outstanding` does not rise and "
    "no installment falls late for it.",
    "PhotoPurpose.CLINICAL_RECORD": "The client's clinical record only.",
    "PhotoPurpose.TEACHING": "Teaching and training, anonymised: no face, name or marks.",
    "PhotoPurpose.MARKETING": "Marketing, which needs its own explicit consent.",
    "PhotoStage.BEFORE": "Before the treatment.",
    "PhotoStage.AFTER": "Right after the treatment.",
    "PhotoStage.SUTURE_REMOVAL": "At suture removal.",
    "PhotoStage.THREE_MONTHS": "Three months after the treatment.",
    "PhotoStage.ONE_YEAR": "One year after the treatment.",
    "PhotoStage.OTHER": "Any other moment; say which in the body area or the history.",
    "ReassignRule": "Why a client moves to another consultant, and so who gets the revenue.",
    "ReassignRule.ASSIGNED": "A plain assignment: revenue to the consultant assigned.",
    "ReassignRule.OWNER_STAND_IN": "The consultant was away and another stood in, getting none "
    "of the revenue: it stays as it was credited, the owner's, or a split (50/50, a joint "
    "review's 30/70) as it stood.",
    "ReassignRule.CLIENT_REQUEST": "The client asked for another consultant; revenue follows "
    "the new one.",
    "ReassignRule.WRONG_ASSIGNMENT_SHARED": "A wrong assignment that was not the consultant's "
    "fault: revenue split 50/50.",
    "ReassignRule.WRONG_ASSIGNMENT_BY_CONSULTANT": "A wrong assignment the consultant caused: "
    "revenue stays with the original owner.",
    "ReassignRule.JOINT_REVIEW": "Handed to another doctor for a joint review: the first "
    "consultant keeps 30%.",
    "ReassignRule.REFERRAL_FOUND": "The referral surfaced mid-consultation: to the referrer's "
    "consultant; the first is owed a make-up turn.",
    "ReassignRule.ACCEPTANCE_TIMEOUT": "The assigned consultant did not come within the "
    "acceptance time (the 10-minute rule).",
    "Role": "A staff member's role; it decides what they may read and do.",
    "Role.FRONT_DESK": "Front desk / guide: arrivals, visit category, the rotation.",
    "Role.CONSULTANT": "Owns the client relationship: consultation, plan, price.",
    "Role.EXPERT": "Expert / treating doctor: final say on the plan, treats.",
    "Role.NURSE": "Pre-treatment checks, photos, post-op care.",
    "Role.CASHIER": "Bills, payments, deposits, refunds.",
    "Role.FOLLOW_UP_STAFF": "Follow-up calls and satisfaction surveys.",
    "Role.SUPERVISOR": "Overrides the rotation, reassigns, watches stuck journeys, audits.",
    "Role.ADMIN": "Administers clinics and staff accounts; sees no client data.",
    "Role.SYSTEM": "The system itself (timers, the triage desk); no one signs in as it.",
    "StuckReason": "Why a journey counts as stuck (`StuckJourney.reasonCode`): one value per "
    "rule that makes a journey stuck. Group, filter and translate by it; `StuckJourney.reason` "
    "says the same in English words with the stage, call and times filled in, and its wording "
    "may change.",
    "StuckReason.STAGE_OVERDUE": "It stayed in its stage (any but FOLLOW_UP) longer than the "
    "stage's SLA: the clinic's for the stage and visit category (`stageSlas`), else the default "
    "(10 minutes for triage, 3 days for consent...). `stage` says which.",
    "StuckReason.FOLLOW_UP_CALL_WINDOW_MISSED": "A follow-up call of the first day after the "
    "treatment was not made within the handbook's window (24 hours of the treatment, seed 002), "
    "as the task lists count it overdue.",
    "StuckReason.FOLLOW_UP_CALL_OVERDUE": "A follow-up call was not made within the clinic's "
    "allowance past its due time (`overdueAfterHours` as the journey was handed over; a day for "
    "journeys handed over before it was kept): a call with no handbook window (3 days, 1 "
    "week...), one of the first day when the allowance ends before the window, or any call of a "
    "journey started before the windows were kept.",
    "StuckReason.FOLLOW_UP_CALLS_UNANSWERED": "A due follow-up call was tried three times "
    "without reaching the client: a person decides what next.",
    "TriageSeatStatus": "Whether a consultant on duty can take the next client.",
    "TriageSeatStatus.AVAILABLE": "Free for the next client.",
    "TriageSeatStatus.BUSY": "With a client and cannot come within 5-10 minutes: skipped and "
    "owed a make-up turn.",
    "TriageSeatStatus.AWAY": "Off post or not answering the phone: skipped, no make-up.",
    "TriageSeatStatus.PAUSED": "Left post with the supervisor's leave, or refused a client: no "
    "turns until resumed.",
    "VisitCategory": "The visit category the front desk registers (seed 004); it decides how the "
    "client is routed and whether a turn is counted.",
    "VisitCategory.FIRST_VISIT": "No earlier record: given out by the rotation, counted as a turn.",
    "VisitCategory.RETURN_VISIT": "Consulted before, never bought: to the owning consultant.",
    "VisitCategory.RECHECK": "Treated before, comes for dressing, suture removal or a check: to "
    "the treating doctor or nurse.",
    "VisitCategory.REPEAT_PURCHASE": "Bought before, comes for another item (a deposit top-up "
    "too): to the owning consultant.",
    "VisitCategory.OTHER": "Given out in rotation order but not counted as a first-visit turn "
    "(companions, under 18 without a guardian, items not offered, and the like); a client of 60 "
    "or over with no earlier record, not referred, is registered so by reception itself.",
}
