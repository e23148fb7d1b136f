"""The operations (queries, mutations, subscriptions), their arguments and answers, and the
shapes every answer shares: errors and staff."""

from __future__ import annotations

_INPUT = "What to do; see the input type."
_CLINIC_ID = "Your clinic's id (`StaffMember.clinicId`); another clinic's is not visible."
_FIRST = "How many per page, 1 to 100 (default 20)."
_AFTER = "A cursor from the page before (`pageInfo.endCursor`); omitted: the first page."
_CODE = "The error's stable code."
_MESSAGE = "What went wrong, for people; do not parse it."


def _names(text: str) -> list[str]:
    return text.split()


DESCRIPTIONS = {
    # --- roots ----------------------------------------------------------------------------
    "Query": "Reads. Most answer a union: the data or a typed error (branch on `__typename`).",
    "Mutation": "Writes. Each takes one `input` with an optional `idempotencyKey` and answers "
    "a union of its payload and typed errors.",
    "Subscription": "Live views over graphql-transport-ws; they end when your session ends.",
    # --- queries --------------------------------------------------------------------------
    "Query.me": "You: the signed-in staff member, or NotAuthorized.",
    "Query.catalog": "Your clinic's products and procedures as they stand (latest versions), in "
    "the order they were added; plans name them by id.",
    "Query.node(id)": "A global id from this API.",
    "Query.journey": "One journey of your clinic, or NotFound.",
    "Query.journey(id)": "The journey (a `Journey` id).",
    "Query.journeys": "Your clinic's journeys, newest first, one page at a time.",
    "Query.journeys(filter)": "Narrows the list; omitted: every journey.",
    "Query.journeys(first)": _FIRST,
    "Query.journeys(after)": _AFTER,
    "Query.client": "One client of your clinic, or NotFound.",
    "Query.client(id)": "The client (a `Client` id).",
    "Query.clients": "Your clinic's clients, newest first, one page at a time.",
    "Query.clients(search)": (
        "Part of a name (any case), or of a phone number for those who may read phone numbers; "
        "omitted: every client."
    ),
    "Query.clients(first)": _FIRST,
    "Query.clients(after)": _AFTER,
    "Query.stuckJourneys(clinicId)": _CLINIC_ID,
    "Query.stuckJourneys(stage)": "Only journeys stuck in this stage.",
    "Query.stuckJourneys(first)": _FIRST,
    "Query.stuckJourneys(after)": _AFTER,
    "Query.journeyStats": "How many journeys wait in each stage, how many are stuck.",
    "Query.journeyStats(clinicId)": _CLINIC_ID,
    "Query.overdueWardTasks(clinicId)": _CLINIC_ID,
    "Query.overdueWardTasks(first)": _FIRST,
    "Query.overdueWardTasks(after)": "A cursor from the page before (`pageInfo.endCursor`); "
    "omitted: the first page. The next page starts after that task's due time.",
    "Query.triageBoard": "The rotation desk as it stands; null for another clinic or when not "
    "signed in.",
    "Query.triageBoard(clinicId)": _CLINIC_ID,
    "Query.triageLog": "The desk log entries of one day after `afterSeq`, oldest first, at most "
    "`first` of them; corrections point at what they amend. Empty for another clinic. A page "
    "of `first` entries may have more after it: ask again with the last one's `seq` as "
    "`afterSeq`.",
    "Query.triageLog(clinicId)": _CLINIC_ID,
    "Query.triageLog(date)": "The desk's day (clinic time).",
    "Query.triageLog(afterSeq)": "Entries after this seq; 0: from the first.",
    "Query.triageLog(first)": "How many, 1 to 500.",
    "Query.keyItemRanking": "Consultants on the clinic's key items for a month, best first "
    "(conversion rate, then average ticket). Empty for another clinic, a malformed month or "
    "no key items.",
    "Query.keyItemRanking(clinicId)": _CLINIC_ID,
    "Query.keyItemRanking(month)": "The month, as YYYY-MM.",
    # --- mutations ------------------------------------------------------------------------
    "Mutation.setCatalogItem": "Supervisor: add a catalogue item or change one; each change "
    "is the item's next version, earlier versions are kept.",
    "Mutation.overrideContraindication": "The journey's expert sets aside ONE contraindication "
    "found at the start of treatment, with a justification; recorded in the journey's history.",
    "Mutation.registerClient": "Front desk: open a client's file (identity, contact, consent "
    "to keep data).",
    "Mutation.setRotationOrder": "Front desk or supervisor: the day's rotation order.",
    "Mutation.reassignClient": "Supervisor: move a client to another consultant, whom her "
    "journey names a moment later under every rule; the rule decides who gets the revenue and "
    "whether her ownership moves (not for a stand-in or a joint review).",
    "Mutation.correctDeskRecord": "Supervisor: correct the desk's record with a new signed "
    "entry (records are never rubbed out).",
    "Mutation.consultantLeft": "Supervisor: a consultant left the clinic; their clients go to "
    "a successor or back to the rotation.",
    **{
        f"Mutation.{name}(input)": _INPUT
        for name in _names(
            "recordComplaint respondToComplaint resolveComplaint setClinicDaysOff "
            "login logout changePassword registerClient startJourney checkIn assignConsultant "
            "recordConsultation closeNotConverted requestExpertReview completeExpertReview "
            "signConsent recordPayment startTreatment completeTreatment handOver "
            "completeFollowUp closeFollowUps cancelJourney markNoShow setStageSla amendRecord "
            "reassignJourney nudgeJourney escalateJourney closeJourney autoAssign placeVip "
            "updateTriageSeat setRotationOrder acceptClient reassignClient correctDeskRecord "
            "consultantLeft recordLeadContact setKeyItemPriority setRotationPolicy createClinic "
            "createStaffAccount updateStaffAccount resetStaffPassword setSeniorTitle "
            "recordMedicalHistory "
            "recordAllergy recordMedication recordPregnancyStatus addServiceCardEntry "
            "amendClientEntry markEnteredInError amendClientIdentity deferConsent "
            "withdrawConsent publishConsentTemplate exportClientFile setCatalogItem "
            "overrideContraindication reportComplication reportComplicationCall recordSurvey "
            "claimWarranty "
            "setAftercarePolicy reassignExpertReview recordFileDisclosure setRecordsCustodian "
            "signSharingConsent withdrawSharingConsent recordPostOpObservation recordWardRound"
        )
    },
    # --- subscriptions --------------------------------------------------------------------
    # --- answers: the unions --------------------------------------------------------------
    "JourneyResult": "A journey step's answer: the journey after it, or why not.",
    "JourneyLookup": "The journey, or why not.",
    "JourneysResult": "A page of journeys, or why not (e.g. a bad `first` or `after`).",
    "ClientLookup": "The client, or why not.",
    "ClientsResult": "A page of clients, or why not (e.g. a bad `first` or `after`).",
    "RegisterClientResult": "The new client's file, or why not.",
    "AmendRecordResult": "The amendment, or why not.",
    "StuckJourneysResult": "A page of stuck journeys, or why not.",
    "JourneyStatsResult": "The stage counts, or why not.",
    "StageSlasResult": "The clinic's SLAs after the change, or why not.",
    "TriageResult": "A desk change's answer: the board after it, or why not.",
    "AutoAssignResult": "The journey and the desk's decision, or why not.",
    "LeadContactResult": "The contact recorded, or why not.",
    "MyTasksResult": "A page of your tasks, or why not (e.g. a bad `first` or `after`).",
    "OverdueWardTasksResult": "A page of the ward's overdue tasks, or why not (another clinic, "
    "a bad `first` or `after`).",
    "AftercarePolicyResult": "The clinic's after-care setting, or why not.",
    "ClinicDaysOffResult": "The year's closed days, or why not.",
    "SurveyResultsResult": "The month's survey results, or why not.",
    "ReportComplicationResult": "The complication recorded and the recheck opened, or why not.",
    "ComplicationCallResult": "The client's complication recorded, the doctor's task and the "
    "recheck that serves it, or why not.",
    "RecordSurveyResult": "The survey recorded, or why not.",
    "RecordFileDisclosureResult": "The disclosure recorded, or why not: no DATA_SHARING "
    "consent in force, not a supervisor, no such client in your clinic, or a bad input.",
    "RecordsCustodianResult": "Your clinic's records custodian, or why not.",
    "SetRecordsCustodianResult": "The custodian named, or why not: not a supervisor, no such "
    "account in your clinic, or one deactivated or an administrator's.",
    "CompleteTaskResult": "The task closed, or why not: not yours to close, a call or photo "
    "reminder (closed by its own action), or already done.",
    "Mutation.completeTask(input)": "The task and the outcome note.",
    "ClaimWarrantyResult": "The claim accepted with its recheck journey, the warranty's end "
    "date if it has run out, or why not.",
    # --- errors ---------------------------------------------------------------------------
    "UserError.code": _CODE,
    "UserError.message": _MESSAGE,
    **{
        f"{error}.{field}": text
        for error in _names(
            "Conflict NotAuthorized NotFound TooManyAttempts TransitionNotAllowed ValidationFailed"
            " ContraindicationFound WarrantyExpired Unavailable ClientAlreadyRegistered"
            " SharingConsentMissing"
        )
        for field, text in (("code", _CODE), ("message", _MESSAGE))
    },
    "TransitionNotAllowed.stage": "The journey's stage now.",
    "TransitionNotAllowed.allowedActions": "What you may do in this stage instead.",
    "ValidationFailed.problems": "One problem per field.",
    "FieldProblem": "What is wrong with one input field.",
    "FieldProblem.field": "The field's path in the input, e.g. `plans[0].price`.",
    "FieldProblem.message": "What is wrong with it, in English words naming the limits "
    "(e.g. `at most 200 characters`): for a person to read, not to parse.",
    "FieldProblem.code": "What kind of problem it is: switch on it to say it in the user's "
    "language or to act on it (mark the field, show a counter, offer a picker).",
    "FieldProblemCode": "What kind of problem a field has. A problem recorded before codes "
    "existed (a retry, after an upgrade, of a request refused by the journey or the desk) reads "
    "`INVALID`; a code added later reads as `INVALID` to a client that does not know it.",
    "FieldProblemCode.REQUIRED": "Missing or blank (spaces, or characters that show nothing), "
    "an empty list that needs at least one item, or a confirmation that must be true and is "
    "not; some fields are required only with another field's value (the message says when).",
    "FieldProblemCode.TOO_LONG": "Longer than allowed: text in characters, a file in bytes; "
    "the message names the most.",
    "FieldProblemCode.TOO_SHORT": "Shorter than allowed (a new password); the message names "
    "the least.",
    "FieldProblemCode.TOO_MANY": "A list holding more items than allowed, or a count already at "
    "its bound (a payment's refunds, a journey's records); the message names the most.",
    "FieldProblemCode.OUT_OF_RANGE": "A number, amount, date or time outside what is allowed: "
    "zero or negative where it must be positive, over a maximum, in the future, too far back "
    "or ahead, more than is owed or left; the message names the range.",
    "FieldProblemCode.BAD_FORMAT": "Not written as the field needs: not an e-mail address or a "
    "phone number, not an id or a cursor of this API, not of a code's pattern, not a PNG or "
    "SVG path, not readable text (a control or invisible character: the message says where), "
    "not JSON of the shape asked for.",
    "FieldProblemCode.UNKNOWN_VALUE": "Well formed, but not one of the values allowed, or "
    "nothing of that name: a currency, locale, language or time zone not known here; an item "
    "not in the catalogue or on the price list; no such active staff member, follow-up or "
    "template version; a key that is no field of the record. Offer a picker.",
    "FieldProblemCode.NOT_ALLOWED_NOW": "Allowed in itself, but not in the state things are in "
    "now: already signed, closed or resolved; not due yet; the client already has an active "
    "journey; a newer bill replaced this one. The same input may pass later, or never again.",
    "FieldProblemCode.DUPLICATE": "Named twice in the input, or already taken (a username).",
    "FieldProblemCode.INCONSISTENT": "Clashes with another field of the input, or with what "
    "the record it refers to fixes: another currency than the bill's, an end before its "
    "start, a kind of payment or refund the bill or the journey does not take.",
    "FieldProblemCode.INVALID": "Any other problem: the message says which. Also every "
    "problem recorded before codes existed.",
    # --- staff ----------------------------------------------------------------------------
    "StaffMember.username": "The sign-in name.",
    "StaffMember.displayName": "The name colleagues see.",
    "StaffMember.role": "The role, which decides what they may read and do.",
    "StaffMember.clinicId": "The clinic they work at.",
}
