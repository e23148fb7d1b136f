"""Rows of the permission table: the client, the client file, photos, consents, the catalogue."""

from __future__ import annotations

from domain.permissions.audiences import (
    ANYONE,
    CLINIC_STAFF,
    CLINICAL,
    COMPLAINT_TAKERS,
    CONTACT,
    PHOTO_CONSENT_RECORDERS,
    PHOTO_VIEWING,
    PHOTOGRAPHERS,
    REGISTRARS,
    SUPERVISORS,
    Audience,
    R,
    of_roles,
    rows,
)

_FILE_ENTRY = (
    "id recordedAt recordedAtLocal authorId authorRole amendsId reason amendedById"
    " enteredInError inForce author"
)


def _file_part(audience: Audience, entry_type: str, fields: str) -> dict[str, dict[str, Audience]]:
    """An entry type of the client file, its connection and its edge: one audience."""
    return {
        entry_type: rows(audience, f"{_FILE_ENTRY} {fields}"),
        f"{entry_type}Connection": rows(audience, "edges pageInfo"),
        f"{entry_type}Edge": rows(audience, "cursor node"),
    }


CLIENT_FILE_TYPES: dict[str, dict[str, Audience]] = {
    "Client": {
        **rows(CLINIC_STAFF, "id fullName birthDate dataConsentAt dataConsentGuardian createdAt"),
        **rows(CONTACT, "phone email"),
        "occupation": of_roles(CONTACT.roles - {R.FOLLOW_UP_STAFF}, R.EXPERT),
        # The client file: clinical parts to clinicians; the service card to every member of
        # the clinic's staff who meets the client (never to an administrator; it leaves the
        # clinic only in the client's own copy, `exportClientFile`).
        **rows(CLINICAL, "medicalHistory allergies medications pregnancyStatus"),
        # The ward's records after an operation (seed 003): clinical, as the history is.
        **rows(CLINICAL, "postOpObservations wardRounds"),
        "pregnancyStatements": CLINICAL,
        **rows(CLINIC_STAFF, "serviceCard identityHistory"),
        "consents": CLINICAL,
        "photos": PHOTO_VIEWING,
        "photoConsents": CLINIC_STAFF,
        "complaints": COMPLAINT_TAKERS,
    },
    # Who consented to a minor's data being kept: read as the consent's time is.
    "DataConsentGuardian": rows(CLINIC_STAFF, "entryId name relation recordedAt"),
    "DataConsentEntry": rows(CLINIC_STAFF, f"{_FILE_ENTRY} guardianName guardianRelation"),
    # Photos: what was taken is seen by whoever may view some purpose; the bytes only through
    # `link`, which checks the purpose's row in PHOTO_VIEWERS and the client's consent.
    "Photo": rows(
        PHOTO_VIEWING,
        "id journeyId stage bodyArea contentType sizeBytes sha256 takenById takenByRole"
        " uploadedAt uploadedAtLocal link takenBy",
    ),
    "PhotoConnection": rows(PHOTO_VIEWING, "edges pageInfo"),
    "PhotoEdge": rows(PHOTO_VIEWING, "cursor node"),
    "PhotoLink": rows(PHOTO_VIEWING, "url purpose expiresAt"),
    "PhotoPayload": rows(PHOTOGRAPHERS, "photo"),
    "PhotoConsentChange": rows(
        CLINIC_STAFF,
        "id purpose given signatureId recordedById recordedByRole recordedAt recordedBy",
    ),
    "PhotoConsents": rows(CLINIC_STAFF, "inForce changes"),
    "PhotoConsentPayload": rows(PHOTO_CONSENT_RECORDERS, "change consents"),
    # Consents: templates are every staff member's to read (the desk hands them out); what a
    # client signed is the clinicians'.
    "ConsentText": rows(
        CLINIC_STAFF,
        "language title purpose expectedEffect risks complications alternatives aftercare",
    ),
    "ConsentTemplateVersion": rows(
        CLINIC_STAFF,
        "id templateKey procedureType kind version contentHash texts publishedBy publishedAt"
        " publishedByStaff",
    ),
    "ConsentTemplatePayload": rows(SUPERVISORS, "template"),
    # Disclosures of the file outside the clinic, and its custodian (every staff member knows
    # whom to ask for the records).
    "FileDisclosure": rows(
        SUPERVISORS,
        "id clientId consentId signatureId recipientName recipientOrganisation purpose parts"
        " channel custodianId recordedById recordedByRole recordedAt recordedBy",
    ),
    "FileDisclosurePayload": rows(SUPERVISORS, "disclosure"),
    "FileDisclosureConnection": rows(SUPERVISORS, "edges pageInfo"),
    "FileDisclosureEdge": rows(SUPERVISORS, "cursor node"),
    "SharingConsentMissing": rows(ANYONE, "code message withdrawnAt"),
    # Complaints: read by those who take them, answered by supervisors.
    "Complaint": rows(
        COMPLAINT_TAKERS,
        "id clientId journeyId channel category description receivedAt firstAnswerDueAt status"
        " overdue answers recordedById recordedByRole recordedAt recordedBy",
    ),
    "ComplaintAnswer": rows(
        COMPLAINT_TAKERS, "id kind outcome note recordedById recordedByRole recordedAt recordedBy"
    ),
    "ComplaintPayload": rows(COMPLAINT_TAKERS, "complaint"),
    "ClinicDaysOff": rows(CLINIC_STAFF, "year days"),
    "ClinicDayOff": rows(CLINIC_STAFF, "day reason"),
    "ComplaintConnection": rows(COMPLAINT_TAKERS, "edges pageInfo"),
    "ComplaintEdge": rows(COMPLAINT_TAKERS, "cursor node"),
    "SharingConsentPayload": rows(CLINICAL, "signature"),
    "SharingConsentWithdrawalPayload": rows(CLINICAL, "withdrawn"),
    "RecordsCustodian": rows(CLINIC_STAFF, "staff active appointedAt appointedById"),
    "RecordsCustodianPayload": rows(CLINIC_STAFF, "custodian"),
    # The catalogue: every member of the clinic's staff reads it (plans, the desk's price
    # talks); supervisors change it.
    "CatalogItem": rows(
        CLINIC_STAFF,
        "id version name kind ingredients allergens interactingMedications excludedStates"
        " minimumAge publishedBy publishedAt publishedByStaff",
    ),
    "CatalogItemConnection": rows(CLINIC_STAFF, "edges pageInfo"),
    "CatalogItemEdge": rows(CLINIC_STAFF, "cursor node"),
    "CatalogItemPayload": rows(SUPERVISORS, "item"),
    # What in a client's record rules a treatment out: clinicians only (it names pregnancy,
    # allergies, medication). The error reaches only those who may start a treatment.
    "ContraindicationFound": rows(ANYONE, "code message reasons"),
    "Contraindication": rows(CLINICAL, "code key itemId itemName detail"),
    "ConsentSignature": rows(
        CLINICAL,
        "id journeyId kind templateVersionId contentHash language signerName capacity"
        " guardianName guardianRelation witnessId witnessRole signatureFormat signedAt"
        " withdrawnAt witness",
    ),
    "ConsentDocument": rows(
        CLINICAL, "signature template text signatureData computedHash hashMatches"
    ),
    **_file_part(CLINICAL, "MedicalHistoryEntry", "topic description treatment treatedOn effect"),
    **_file_part(CLINICAL, "AllergyEntry", "substance reaction severity"),
    **_file_part(CLINICAL, "MedicationEntry", "name dose since stoppedOn note"),
    **_file_part(CLINICAL, "PregnancyStatusEntry", "pregnant lactating statedOn note"),
    **_file_part(
        CLINIC_STAFF, "ServiceCardEntry", "section note minutes occurredOn askAboutResults"
    ),
    **_file_part(
        CLINICAL,
        "PostOpObservationEntry",
        "journeyId observedAt observedAtLocal anaesthesia vitals lyingFlat nilByMouth note",
    ),
    "VitalSigns": rows(
        CLINICAL,
        "systolic diastolic pulse respiratoryRate temperatureCelsius oxygenSaturation",
    ),
    **_file_part(
        CLINICAL,
        "WardRoundEntry",
        "journeyId visitedAt visitedAtLocal recoveringAsExpected findings nextStep",
    ),
    "EnteredInError": rows(CLINIC_STAFF, "reason authorId author authorRole at atLocal"),
    "ClientEntryPayload": rows(CLINIC_STAFF, "entry"),
    "IdentityVersion": {
        **rows(CLINIC_STAFF, "version fullName reason authorId author at atLocal"),
        **rows(CONTACT, "phone email"),
    },
    # The client's own copy: the whole file with its audit trail, which supervisors read.
    "ClientFileExportPayload": rows(
        SUPERVISORS, "clientId asOf file fhirVersion fhirBundle photoLinks"
    ),
    # The images that go with the copy: links issued whatever purposes the client consents to
    # (handing a client their own photos is no use of them), to the supervisor who took it.
    "ClientCopyPhotoLink": rows(SUPERVISORS, "photoId url expiresAt"),
    "ClientConnection": rows(CLINIC_STAFF, "edges pageInfo"),
    "ClientEdge": rows(CLINIC_STAFF, "cursor node"),
    "ClientPayload": rows(REGISTRARS, "client"),
    "ClientAlreadyRegistered": rows(REGISTRARS, "code message existingClientIds matchedOn"),
}
