"""Who may read what and call what: the API's permission table, as data.

One row per field of every object type of the GraphQL schema, by the names clients use
(`"Journey": {"history": ...}`), and one per operation (fields of `Query`, `Mutation` and
`Subscription`). One mechanism in the schema layer applies it to every field it resolves; a test
walks the schema and fails for a field without a row, so nothing new ships unguarded.

The table says what a *role* may see. Which rows a viewer sees (their clinic, their journeys) and
who may take a journey step now (the journey's own role table and state machine) are decided
below it; journey mutations take their roles from that table so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.journey.table import ROLES, Action
from domain.photos.purposes import PhotoPurpose
from domain.roles import Role

R = Role


@dataclass(frozen=True)
class Audience:
    """Who may read a field or call an operation; `signed_out` admits requests without a token."""

    roles: frozenset[Role]
    signed_out: bool = False

    def admits(self, role: Role | None) -> bool:
        if self.signed_out:
            return True
        return role is not None and role in self.roles

    def names(self) -> list[str]:
        named = sorted(role.value for role in self.roles)
        return ["SIGNED_OUT", *named] if self.signed_out else named


def _of(*roles: Role | Iterable[Role]) -> Audience:
    chosen: set[Role] = set()
    for role in roles:
        chosen |= {role} if isinstance(role, Role) else set(role)
    return Audience(frozenset(chosen - {R.SYSTEM}))


SIGNED_IN_ROLES = frozenset(role for role in Role if role is not R.SYSTEM)
CLINIC_ROLES = SIGNED_IN_ROLES - {R.ADMIN}

# The audiences, narrowest meaning first. SIGNED_OUT carries no data by itself: error payloads
# and the answer to `login`. Shape types (connections, payloads) follow the operation's rule.
ANYONE = Audience(SIGNED_IN_ROLES, signed_out=True)
SIGNED_IN = _of(SIGNED_IN_ROLES)
CLINIC_STAFF = _of(CLINIC_ROLES)
# The consultation's assessments and plans, clinical details and corrections.
CLINICAL = _of(R.CONSULTANT, R.EXPERT, R.NURSE, R.SUPERVISOR)
# Everyone who looks after the client once treated: the clinicians and follow-up staff.
CARE_TEAM = _of(CLINICAL.roles, R.FOLLOW_UP_STAFF)
# Phone and e-mail: who registers, who owns the relationship, who calls.
CONTACT = _of(R.FRONT_DESK, R.CONSULTANT, R.FOLLOW_UP_STAFF, R.SUPERVISOR)
REGISTRARS = _of(R.FRONT_DESK, R.CONSULTANT, R.SUPERVISOR)
# The rotation board and log: the desk that runs it and the consultants it serves.
DESK_VIEW = _of(R.FRONT_DESK, R.CONSULTANT, R.SUPERVISOR)
DESK = _of(R.FRONT_DESK, R.SUPERVISOR)
SUPERVISORS = _of(R.SUPERVISOR)
# Whoever the client tells that a treated result is not holding up takes the warranty claim.
WARRANTY_DESK = _of(R.FRONT_DESK, R.CONSULTANT, R.FOLLOW_UP_STAFF, R.SUPERVISOR)
ADMINS = _of(R.ADMIN)
# Money: who takes it and who oversees it (partner statements, partners' bank details).
MONEY_VIEW = _of(R.SUPERVISOR, R.CASHIER)
# The client file's clinical parts are written by those who take the history and check it
# before treatment; supervisors read them and correct entries, but record none themselves.
CLINICAL_RECORDERS = _of(R.CONSULTANT, R.EXPERT, R.NURSE)
# Money: bills, payments, refunds, what a client spent. The price list is everyone's to quote.
MONEY = _of(R.CASHIER, R.SUPERVISOR)


# Who may see a photo for each purpose (through a signed link, and only while the client
# consents to that purpose): the clinical record to the care team, anonymised teaching
# material to clinicians, marketing to supervisors, who run it.
PHOTO_VIEWERS: Mapping[PhotoPurpose, Audience] = {
    PhotoPurpose.CLINICAL_RECORD: CARE_TEAM,
    PhotoPurpose.TEACHING: CLINICAL,
    PhotoPurpose.MARKETING: SUPERVISORS,
}
PHOTO_VIEWING = _of(*(audience.roles for audience in PHOTO_VIEWERS.values()))
# Who takes photos, and who records what the client consents their photos may be used for.
PHOTOGRAPHERS = CLINICAL_RECORDERS
PHOTO_CONSENT_RECORDERS = _of(REGISTRARS.roles, CLINICAL.roles)


def _fields(audience: Audience, names: str) -> dict[str, Audience]:
    return {name: audience for name in names.split()}


def _action(*actions: Action) -> Audience:
    return _of(*(ROLES[action] for action in actions))


_ERROR_TYPES = ("Conflict", "NotAuthorized", "NotFound")

# Procedure types are every staff member's to read (the desk and cashier plan with them); a
# journey's checklist results, a recall's recipients and the leaflet are the clinicians'.
PROCEDURE_TYPES: dict[str, dict[str, Audience]] = {
    "LocalizedText": _fields(CLINIC_STAFF, "language text"),
    "ChecklistItem": _fields(CLINIC_STAFF, "code label needsResult"),
    "FollowUpStep": _fields(CLINIC_STAFF, "offsetHours tier channel purpose questions"),
    "PhotoPoint": _fields(CLINIC_STAFF, "code offsetDays"),
    "DiscomfortNotes": _fields(CLINIC_STAFF, "language normal passes callNow selfCare activities"),
    "Warranty": _fields(CLINIC_STAFF, "periodDays terms"),
    "ProcedureTypeVersion": _fields(
        CLINIC_STAFF,
        "id typeKey version category names checklist followUps photoSchedule discomfort"
        " warranty contentHash publishedBy publishedAt",
    ),
    "ProcedureTypePayload": _fields(SUPERVISORS, "procedureType"),
    "ChecklistItemState": _fields(
        CLINICAL, "code label needsResult done result completedBy completedAt"
    ),
    "ChecklistItemPayload": _fields(CLINICAL, "journey"),
    "ChecklistIncomplete": _fields(ANYONE, "code message openItems"),
    "LotRecipient": _fields(
        CLINICAL, "client journeyId productName lotNumber dose bodyArea givenAt"
    ),
    "AftercareLeaflet": _fields(CARE_TEAM, "language notes procedureType html pdfBase64"),
}
_FILE_ENTRY = (
    "id recordedAt recordedAtLocal authorId authorRole amendsId reason amendedById"
    " enteredInError inForce author"
)


def _file_part(audience: Audience, entry_type: str, fields: str) -> dict[str, dict[str, Audience]]:
    """An entry type of the client file, its connection and its edge: one audience."""
    return {
        entry_type: _fields(audience, f"{_FILE_ENTRY} {fields}"),
        f"{entry_type}Connection": _fields(audience, "edges pageInfo"),
        f"{entry_type}Edge": _fields(audience, "cursor node"),
    }


TYPES: dict[str, dict[str, Audience]] = {
    **{name: _fields(ANYONE, "code message") for name in _ERROR_TYPES},
    "TransitionNotAllowed": _fields(ANYONE, "code message stage allowedActions"),
    "ValidationFailed": _fields(ANYONE, "code message problems"),
    "TooManyAttempts": _fields(ANYONE, "code message retryAfterSeconds"),
    "FieldProblem": _fields(ANYONE, "field message"),
    "Permissions": _fields(ANYONE, "role operations readableFields"),
    "LoginPayload": _fields(ANYONE, "token expiresAt staff"),
    "LogoutPayload": _fields(ANYONE, "everywhere signedOutAt"),
    "ChangePasswordPayload": _fields(ANYONE, "changedAt"),
    # Reached through `login` (not yet signed in), `me` and other signed-in reads.
    "StaffMember": _fields(ANYONE, "id username displayName role clinicId"),
    "PageInfo": _fields(SIGNED_IN, "hasNextPage hasPreviousPage startCursor endCursor"),
    "Client": {
        **_fields(CLINIC_STAFF, "id fullName birthDate dataConsentAt createdAt"),
        **_fields(CONTACT, "phone email"),
        "occupation": _of(CONTACT.roles - {R.FOLLOW_UP_STAFF}, R.EXPERT),
        # The client file: clinical parts to clinicians; the service card to every member of
        # the clinic's staff who meets the client (never to an administrator; it leaves the
        # clinic only in the client's own copy, `exportClientFile`).
        **_fields(CLINICAL, "medicalHistory allergies medications pregnancyStatus"),
        "pregnancyStatements": CLINICAL,
        **_fields(CLINIC_STAFF, "serviceCard identityHistory"),
        "consents": CLINICAL,
        "photos": PHOTO_VIEWING,
        "photoConsents": CLINIC_STAFF,
    },
    # Photos: what was taken is seen by whoever may view some purpose; the bytes only through
    # `link`, which checks the purpose's row in PHOTO_VIEWERS and the client's consent.
    "Photo": _fields(
        PHOTO_VIEWING,
        "id journeyId stage bodyArea contentType sizeBytes sha256 takenById takenByRole"
        " uploadedAt uploadedAtLocal link",
    ),
    "PhotoConnection": _fields(PHOTO_VIEWING, "edges pageInfo"),
    "PhotoEdge": _fields(PHOTO_VIEWING, "cursor node"),
    "PhotoLink": _fields(PHOTO_VIEWING, "url purpose expiresAt"),
    "PhotoPayload": _fields(PHOTOGRAPHERS, "photo"),
    "PhotoConsentChange": _fields(
        CLINIC_STAFF, "id purpose given signatureId recordedById recordedByRole recordedAt"
    ),
    "PhotoConsents": _fields(CLINIC_STAFF, "inForce changes"),
    "PhotoConsentPayload": _fields(PHOTO_CONSENT_RECORDERS, "change consents"),
    # Consents: templates are every staff member's to read (the desk hands them out); what a
    # client signed is the clinicians'.
    "ConsentText": _fields(
        CLINIC_STAFF,
        "language title purpose expectedEffect risks complications alternatives aftercare",
    ),
    "ConsentTemplateVersion": _fields(
        CLINIC_STAFF,
        "id templateKey procedureType kind version contentHash texts publishedBy publishedAt",
    ),
    "ConsentTemplatePayload": _fields(SUPERVISORS, "template"),
    # The catalogue: every member of the clinic's staff reads it (plans, the desk's price
    # talks); supervisors change it.
    "CatalogItem": _fields(
        CLINIC_STAFF,
        "id version name kind ingredients allergens interactingMedications excludedStates"
        " minimumAge publishedBy publishedAt",
    ),
    "CatalogItemConnection": _fields(CLINIC_STAFF, "edges pageInfo"),
    "CatalogItemEdge": _fields(CLINIC_STAFF, "cursor node"),
    "CatalogItemPayload": _fields(SUPERVISORS, "item"),
    # What in a client's record rules a treatment out: clinicians only (it names pregnancy,
    # allergies, medication). The error reaches only those who may start a treatment.
    "ContraindicationFound": _fields(ANYONE, "code message reasons"),
    "Contraindication": _fields(CLINICAL, "code key itemId itemName detail"),
    "ConsentSignature": _fields(
        CLINICAL,
        "id journeyId kind templateVersionId contentHash language signerName capacity"
        " guardianName guardianRelation witnessId witnessRole signatureFormat signedAt"
        " withdrawnAt",
    ),
    "ConsentDocument": _fields(
        CLINICAL, "signature template text signatureData computedHash hashMatches"
    ),
    **_file_part(CLINICAL, "MedicalHistoryEntry", "topic description treatment treatedOn effect"),
    **_file_part(CLINICAL, "AllergyEntry", "substance reaction severity"),
    **_file_part(CLINICAL, "MedicationEntry", "name dose since note"),
    **_file_part(CLINICAL, "PregnancyStatusEntry", "pregnant lactating statedOn note"),
    **_file_part(
        CLINIC_STAFF, "ServiceCardEntry", "section note minutes occurredOn askAboutResults"
    ),
    "EnteredInError": _fields(CLINIC_STAFF, "reason authorId authorRole at atLocal"),
    "ClientEntryPayload": _fields(CLINIC_STAFF, "entry"),
    "IdentityVersion": {
        **_fields(CLINIC_STAFF, "fullName reason authorId at atLocal"),
        **_fields(CONTACT, "phone email"),
    },
    # The client's own copy: the whole file with its audit trail, which supervisors read.
    "ClientFileExportPayload": _fields(SUPERVISORS, "clientId asOf file fhirVersion fhirBundle"),
    "ClientConnection": _fields(CLINIC_STAFF, "edges pageInfo"),
    "ClientEdge": _fields(CLINIC_STAFF, "cursor node"),
    "ClientPayload": _fields(REGISTRARS, "client"),
    "Journey": {
        **_fields(
            CLINIC_STAFF,
            "id stage outcome visitCategory startedAt stageEnteredAt lastEventSeq client"
            " consultant history followUps availableActions diagram linkedJourneyId"
            " warrantyCard procedureType",
        ),
        # Lab results and assessments are clinical; the cashier and the desk need none of it.
        "checklist": CLINICAL,
    },
    **PROCEDURE_TYPES,
    "JourneyConnection": _fields(CLINIC_STAFF, "edges pageInfo"),
    "JourneyEdge": _fields(CLINIC_STAFF, "cursor node"),
    "JourneyPayload": _fields(CLINIC_STAFF, "journey"),
    "JourneyEvent": {
        **_fields(
            CLINIC_STAFF, "seq action fromStage toStage actorId actorRole at atLocal summary actor"
        ),
        **_fields(CLINICAL, "details amendments"),
    },
    "Amendment": _fields(CLINIC_STAFF, "id authorId at reason correction"),
    "AmendmentPayload": _fields(CLINIC_STAFF, "amendment"),
    # When the calls are due is everyone's to plan around; how they went is the care team's.
    "FollowUp": {
        **_fields(CLINIC_STAFF, "id label dueAt status attempts"),
        **_fields(CARE_TEAM, "outcome satisfaction"),
    },
    "ActionAvailability": {
        **_fields(CLINIC_STAFF, "action allowed reason"),
        "contraindications": CLINICAL,
    },
    # After-care: the task lists, complications, the survey and warranties.
    "FollowUpTask": _fields(
        CARE_TEAM,
        "id kind status journeyId followUpId label dueAt overdue attempts escalated assigneeRole"
        " assigneeId linkedJourneyId journey questions purpose channel photoStage",
    ),
    "FollowUpTaskConnection": _fields(CARE_TEAM, "edges pageInfo"),
    "FollowUpTaskEdge": _fields(CARE_TEAM, "cursor node"),
    "TaskUpdate": _fields(CARE_TEAM, "change task"),
    "ComplicationReported": _fields(CARE_TEAM, "journey recheckJourney"),
    "SurveyResponse": _fields(
        CARE_TEAM,
        "id journeyId impression trustInDoctor priceJustified quality comment lowScores recordedAt",
    ),
    "SurveyRecorded": _fields(CARE_TEAM, "survey alerted"),
    "SurveyResults": _fields(SUPERVISORS, "clinicId month overall byDoctor byProcedureType"),
    "SurveyAverages": _fields(
        SUPERVISORS,
        "responses impression trustInDoctor priceJustified quality lowResponses",
    ),
    "SurveyGroup": _fields(SUPERVISORS, "key averages names"),
    "AftercarePolicy": _fields(
        CLINIC_STAFF, "followUpAssignee overdueAfterHours warrantyDays warrantyTerms"
    ),
    "AftercarePolicyPayload": _fields(CLINIC_STAFF, "policy"),
    "WarrantyCard": _fields(CLINIC_STAFF, "number issuedAt endsAt terms"),
    "WarrantyClaimed": _fields(WARRANTY_DESK, "claimId card claimedAt recheckJourney"),
    "WarrantyExpired": _fields(ANYONE, "code message endedOn"),
    "JourneyAlert": _fields(CLINIC_STAFF, "action summary at journey"),
    # The supervisor cockpit.
    "StuckJourney": _fields(SUPERVISORS, "journey stage reason since overdueSeconds"),
    "StuckJourneyConnection": _fields(SUPERVISORS, "edges pageInfo"),
    "StuckJourneyEdge": _fields(SUPERVISORS, "cursor node"),
    "JourneyStats": _fields(SUPERVISORS, "stages overdueTasks overdueInstallments"),
    "StageStats": _fields(SUPERVISORS, "stage active stuck medianSecondsInStageToday"),
    "BoardUpdate": _fields(SUPERVISORS, "change journey stats"),
    "StageSla": _fields(SUPERVISORS, "stage visitCategory seconds isDefault"),
    "StageSlasPayload": _fields(SUPERVISORS, "slas"),
    # Every consultant's conversion and average ticket: revenue, for supervisors only.
    "KeyItemStanding": _fields(
        SUPERVISORS, "consultantId consultations deals conversionRate averageTicket"
    ),
    # The triage desk.
    "TriageBoard": _fields(
        DESK_VIEW, "clinicId day version policy nextConsultantId seats owedTurns alerts pending"
    ),
    "TriageBoardPayload": _fields(DESK_VIEW, "board"),
    "ReclassifyVisitPayload": _fields(
        _of(R.SUPERVISOR, R.EXPERT), "journeyId visitCategory counted deskVersion"
    ),
    "TriageSeat": _fields(
        DESK_VIEW,
        "consultantId position onDuty status scope firstVisitTurns turnsUsedEarly owedTurns"
        " counts delegateId",
    ),
    "CategoryCount": _fields(DESK_VIEW, "category count"),
    "OwedTurn": _fields(DESK_VIEW, "consultantId reason fromTurnOf"),
    "TriageAlert": _fields(DESK_VIEW, "seq message journeyId"),
    "PendingAssignment": _fields(
        DESK_VIEW, "journeyId consultantId route counted assignedAt acceptBy"
    ),
    "TriageDecision": _fields(
        DESK_VIEW,
        "consultantId counted route reason policy majorItem skips visitCategory categoryReason",
    ),
    "TriageSkip": _fields(DESK_VIEW, "consultantId why makeupOwed"),
    "TriageLogEntry": _fields(
        DESK_VIEW,
        "seq kind at actorId consultantId journeyId counted reason policy amendsSeq details",
    ),
    "AutoAssignPayload": _fields(DESK_VIEW, "journey decision"),
    "LeadContactPayload": _fields(REGISTRARS, "ownerId"),
    # The audit trail: who read or changed a client's data. Supervisors audit.
    "AuditEntry": _fields(
        SUPERVISORS,
        "id seq at actorId actorRole clientId action requestId prevHash hash actor",
    ),
    "AuditLogEdge": _fields(SUPERVISORS, "cursor node"),
    "AuditLogConnection": _fields(SUPERVISORS, "edges pageInfo"),
    # Money. An amount is readable wherever the field holding it is.
    "Money": _fields(CLINIC_STAFF, "amount currency formatted"),
    "PriceListItem": {
        **_fields(
            CLINIC_STAFF,
            "id code version kind name listPrice specialPrice minorProcedure validFrom validTo"
            " setBy setAt",
        ),
        "consumableCost": MONEY,
    },
    "PriceListItemPayload": _fields(SUPERVISORS, "item"),
    "Bill": _fields(
        MONEY,
        "id journeyId lines subtotal discount discountReason discountGrantedBy total paid"
        " refunded outstanding confirmation payments installments refunds partnerStaff createdBy"
        " createdAt",
    ),
    "BillLine": _fields(
        MONEY,
        "priceItemId code kind name quantity listPrice unitPrice atSpecialPrice minorProcedure"
        " consumableCost lineTotal",
    ),
    "Installment": _fields(MONEY, "seq dueOn amount overdue"),
    "BillConfirmation": _fields(MONEY, "signerName signatureFormat witnessId confirmedAt"),
    "Payment": _fields(MONEY, "id kind method amount receiptNumber recordedBy recordedAt"),
    "Refund": _fields(MONEY, "id paymentId amount reason beforeTreatment recordedBy recordedAt"),
    "BillPayload": _fields(MONEY, "bill"),
    "BillingSettings": _fields(
        CLINIC_STAFF, "currency locale discountThresholdPercent paymentPolicy"
    ),
    "BillingSettingsPayload": _fields(SUPERVISORS, "settings"),
    "RefundPayload": _fields(MONEY, "refund journey"),
    "BillingHistory": _fields(
        MONEY, "months mostBought bills paid outstanding outstandingOnInstallments"
    ),
    "MonthSpending": _fields(MONEY, "month paid refunded net"),
    "ItemBought": _fields(MONEY, "code name kind quantity spent"),
    "BillStanding": _fields(
        MONEY, "billId journeyId total paid refunded outstanding onInstallments"
    ),
    # Partners: supervisors; cashiers read what they pay out.
    "ConsultantFigures": _fields(
        SUPERVISORS,
        "consultantId firstVisits deals conversionRate revenueCredited averageTicket",
    ),
    "Partner": _fields(
        MONEY_VIEW,
        "id name version agreementReference bankDetails premisesPhotoIds registeredAt"
        " reportedAt missingMaterials deadlines",
    ),
    "PartnerDeadline": _fields(MONEY_VIEW, "milestone dueAt lapsed"),
    "RegisterPartnerPayload": _fields(SUPERVISORS, "partner"),
    "PartnerStatement": _fields(MONEY_VIEW, "partner month lines totalSold totalPartnerShare csv"),
    "PartnerStatementLine": _fields(
        MONEY_VIEW, "journeyId paidAt itemKind rule priceSold base partnerShare"
    ),
    # Administration.
    "Clinic": _fields(ADMINS, "id name timezone"),
    "ClinicPayload": _fields(ADMINS, "clinic"),
    "StaffAccountPayload": _fields(ADMINS, "staff active mustChangePassword"),
}

QUERIES: dict[str, Audience] = {
    "me": ANYONE,
    "myPermissions": ANYONE,
    **_fields(CLINIC_STAFF, "node journey journeys client clients consentTemplates catalog"),
    "consentDocument": CLINICAL,
    "myTasks": CARE_TEAM,
    "aftercarePolicy": CLINIC_STAFF,
    "surveyResults": SUPERVISORS,
    "procedureTypes": CLINIC_STAFF,
    "lotRecipients": CLINICAL,
    "aftercareLeaflet": CARE_TEAM,
    **_fields(CLINIC_STAFF, "priceList billingSettings"),
    **_fields(MONEY, "bill billingHistory"),
    **_fields(SUPERVISORS, "stuckJourneys journeyStats stageSlas keyItemRanking auditLog"),
    "consultantFigures": SUPERVISORS,
    **_fields(MONEY_VIEW, "partners partnerStatement"),
    **_fields(DESK_VIEW, "triageBoard triageLog"),
}

MUTATIONS: dict[str, Audience] = {
    "login": ANYONE,
    # A retry must get its first answer though that answer signed the token out: these check
    # the token themselves (a genuine one, revoked or not) and answer `NotAuthorized` without.
    **_fields(ANYONE, "logout changePassword"),
    "registerClient": REGISTRARS,
    "amendClientIdentity": REGISTRARS,
    # The custodian's act: the copy carries the file's audit trail (supervisors' to read).
    "exportClientFile": SUPERVISORS,
    **_fields(
        CLINICAL_RECORDERS,
        "recordMedicalHistory recordAllergy recordMedication recordPregnancyStatus",
    ),
    "addServiceCardEntry": CLINIC_STAFF,
    # The entry's author or a supervisor: who wrote it is checked against the entry.
    **_fields(CLINIC_STAFF, "amendClientEntry markEnteredInError"),
    "startJourney": _action(Action.CHECK_IN),
    "checkIn": _action(Action.CHECK_IN),
    "assignConsultant": _action(Action.ASSIGN_CONSULTANT),
    "recordConsultation": _action(Action.RECORD_CONSULTATION),
    "closeNotConverted": _action(Action.CLOSE_NOT_CONVERTED),
    "requestExpertReview": _action(Action.REQUEST_EXPERT_REVIEW),
    "completeExpertReview": _action(Action.APPROVE_PLAN, Action.REFUSE_MEDICALLY),
    "signConsent": _action(Action.SIGN_CONSENT),
    "deferConsent": _action(Action.DEFER_CONSENT),
    "withdrawConsent": _action(Action.WITHDRAW_CONSENT),
    "publishConsentTemplate": SUPERVISORS,
    "setCatalogItem": SUPERVISORS,
    "uploadPhoto": PHOTOGRAPHERS,
    "setPhotoConsent": PHOTO_CONSENT_RECORDERS,
    "setProcedureType": SUPERVISORS,
    # Those who treat check before treatment (DOMAIN.md stage 7).
    "completeChecklistItem": _action(Action.START_TREATMENT),
    **_fields(SUPERVISORS, "setPriceListItem setBillingSettings"),
    **_fields(MONEY, "createBill confirmBill"),
    "recordPayment": _action(Action.RECORD_PAYMENT),
    # Before treatment a cashier; after it a supervisor (checked against the journey).
    "recordRefund": _action(Action.REFUND),
    "startTreatment": _action(Action.START_TREATMENT),
    # The journey's own expert only: the journey checks whose it is.
    "overrideContraindication": _action(Action.OVERRIDE_CONTRAINDICATION),
    "completeTreatment": _action(Action.COMPLETE_TREATMENT),
    "handOver": _action(Action.HAND_OVER),
    "completeFollowUp": _action(Action.COMPLETE_FOLLOW_UP),
    "closeFollowUps": _action(Action.CLOSE_FOLLOW_UPS),
    "reportComplication": _action(Action.COMPLETE_FOLLOW_UP),
    "recordSurvey": _of(R.FOLLOW_UP_STAFF, R.SUPERVISOR),
    "claimWarranty": WARRANTY_DESK,
    "setAftercarePolicy": SUPERVISORS,
    "cancelJourney": _action(Action.CANCEL, Action.DECLINE),
    "markNoShow": _action(Action.MARK_NO_SHOW),
    "reassignJourney": _action(Action.REASSIGN),
    "nudgeJourney": _action(Action.NUDGE),
    "escalateJourney": _action(Action.ESCALATE),
    "closeJourney": _action(Action.CLOSE),
    # The author of a record or a supervisor: who wrote it is checked against the record.
    "amendRecord": CLINIC_STAFF,
    "setStageSla": SUPERVISORS,
    "autoAssign": DESK,
    "setRotationOrder": DESK,
    # A consultant may change their own seat (status, delegate); the desk checks whose.
    "updateTriageSeat": DESK_VIEW,
    "acceptClient": DESK_VIEW,
    "recordLeadContact": REGISTRARS,
    "reclassifyVisit": _of(R.SUPERVISOR, R.EXPERT),
    **_fields(
        SUPERVISORS,
        "placeVip reassignClient correctDeskRecord consultantLeft setKeyItemPriority"
        " setRotationPolicy registerPartner",
    ),
    **_fields(ADMINS, "createClinic createStaffAccount updateStaffAccount resetStaffPassword"),
}

SUBSCRIPTIONS: dict[str, Audience] = {
    "journeyChanged": CLINIC_STAFF,
    "supervisorBoard": SUPERVISORS,
    "myJourneyAlerts": _of(R.CONSULTANT),
    "tasksChanged": CARE_TEAM,
    "triageBoardChanged": DESK_VIEW,
}

OPERATIONS: dict[str, dict[str, Audience]] = {
    "Query": QUERIES,
    "Mutation": MUTATIONS,
    "Subscription": SUBSCRIPTIONS,
}

TABLE: Mapping[str, Mapping[str, Audience]] = {**TYPES, **OPERATIONS}

# An account given a temporary password (created or reset by an administrator) may do only
# this until it has chosen its own.
WHILE_PASSWORD_MUST_CHANGE = frozenset(
    {"Query.me", "Query.myPermissions", "Mutation.changePassword", "Mutation.logout"}
)


def audience(type_name: str, field_name: str) -> Audience | None:
    """The field's row, or None when the table has none (the schema layer refuses those)."""
    return TABLE.get(type_name, {}).get(field_name)


def may_read(type_name: str, field_name: str, role: Role | None) -> bool:
    rule = audience(type_name, field_name)
    return rule is not None and rule.admits(role)


def operations_for(role: Role | None) -> list[str]:
    """`Query.journeys`-style names of every operation `role` may call."""
    return [
        f"{root}.{name}"
        for root, rows in OPERATIONS.items()
        for name, rule in rows.items()
        if rule.admits(role)
    ]


def readable_fields(role: Role | None) -> list[str]:
    """`Journey.history`-style names of every field of a type that `role` may read."""
    return [
        f"{type_name}.{name}"
        for type_name, rows in TYPES.items()
        for name, rule in rows.items()
        if rule.admits(role)
    ]
