"""The parts of a client file and the typed vocabularies of their entries (seeds 000, 001)."""

from __future__ import annotations

from enum import Enum


class EntryKind(str, Enum):
    """Which part of the file an entry belongs to."""

    MEDICAL_HISTORY = "MEDICAL_HISTORY"
    ALLERGY = "ALLERGY"
    MEDICATION = "MEDICATION"
    PREGNANCY_STATUS = "PREGNANCY_STATUS"
    SERVICE_CARD = "SERVICE_CARD"
    # The ward's records after an operation (seed 003), each naming its surgery journey
    # (`domain.client_file.post_op`).
    POST_OP_OBSERVATION = "POST_OP_OBSERVATION"
    WARD_ROUND = "WARD_ROUND"
    # The guardian who consented, at registration, to a minor's data being kept
    # (`domain.client_file.data_consent`): written by `registerClient` only.
    DATA_CONSENT = "DATA_CONSENT"

    @property
    def clinical(self) -> bool:
        """Clinical parts are read and written by clinicians only; the service card and the
        data consent are not."""
        return self not in (EntryKind.SERVICE_CARD, EntryKind.DATA_CONSENT)

    @property
    def post_op(self) -> bool:
        """A record of the ward after an operation: it follows a surgery journey, and is checked
        against the moment its operation ended."""
        return self in (EntryKind.POST_OP_OBSERVATION, EntryKind.WARD_ROUND)


class HistoryTopic(str, Enum):
    """What a medical-history entry is about: the history proper, and the client's background
    that a consultation records with it (lifestyle, skin care, state of mind, wishes)."""

    MEDICAL_CONDITION = "MEDICAL_CONDITION"
    EARLIER_TREATMENT = "EARLIER_TREATMENT"
    SURGERY = "SURGERY"
    LIFESTYLE = "LIFESTYLE"
    SKIN_CARE = "SKIN_CARE"
    PSYCHOLOGICAL_STATE = "PSYCHOLOGICAL_STATE"
    AESTHETIC_PREFERENCES = "AESTHETIC_PREFERENCES"


class AllergySeverity(str, Enum):
    MILD = "MILD"
    MODERATE = "MODERATE"
    SEVERE = "SEVERE"
    LIFE_THREATENING = "LIFE_THREATENING"


class ServiceCardSection(str, Enum):
    """The sections of the service card (seed 001, "Сервисная карта клиента")."""

    PREFERENCE_DRINKS = "PREFERENCE_DRINKS"
    PREFERENCE_MUSIC = "PREFERENCE_MUSIC"
    PREFERENCE_TOPICS = "PREFERENCE_TOPICS"
    PREFERENCE_OTHER = "PREFERENCE_OTHER"
    PHONE_WISHES = "PHONE_WISHES"
    CLINIC_DELAY = "CLINIC_DELAY"
    CLIENT_LATENESS = "CLIENT_LATENESS"
    STATE_BEFORE_VISIT = "STATE_BEFORE_VISIT"
    STATE_AFTER_VISIT = "STATE_AFTER_VISIT"
    CONTACT_DIFFICULTY = "CONTACT_DIFFICULTY"
    BAD_EXPERIENCE = "BAD_EXPERIENCE"
    DOCUMENT_DIFFICULTY = "DOCUMENT_DIFFICULTY"
    PRICE_REACTION = "PRICE_REACTION"
    PAYMENT_TERMS = "PAYMENT_TERMS"

    @property
    def timed(self) -> bool:
        """A delay or a lateness: how many minutes, on which day."""
        return self in (ServiceCardSection.CLINIC_DELAY, ServiceCardSection.CLIENT_LATENESS)


# What the audit trail calls a read of each part ("what" codes, see domain.audit).
READ_CODES: dict[EntryKind, str] = {
    EntryKind.MEDICAL_HISTORY: "client.medical_history.read",
    EntryKind.ALLERGY: "client.allergies.read",
    EntryKind.MEDICATION: "client.medications.read",
    EntryKind.PREGNANCY_STATUS: "client.pregnancy_status.read",
    EntryKind.SERVICE_CARD: "client.service_card.read",
    EntryKind.POST_OP_OBSERVATION: "client.post_op_observations.read",
    EntryKind.WARD_ROUND: "client.ward_rounds.read",
    EntryKind.DATA_CONSENT: "client.data_consent.read",
}
IDENTITY_HISTORY_READ = "client.identity_history.read"
# The client's own copy of the whole file (`exportClientFile`): a read of every part at once.
FILE_EXPORT_READ = "client.file_export.read"
# The list of who outside the clinic received parts of the file (`fileDisclosures`).
DISCLOSURES_READ = "client.disclosures.read"

# The mutation that records each kind: its row in the permission table says who writes it.
RECORDING_MUTATION: dict[EntryKind, str] = {
    EntryKind.MEDICAL_HISTORY: "recordMedicalHistory",
    EntryKind.ALLERGY: "recordAllergy",
    EntryKind.MEDICATION: "recordMedication",
    EntryKind.PREGNANCY_STATUS: "recordPregnancyStatus",
    EntryKind.SERVICE_CARD: "addServiceCardEntry",
    EntryKind.POST_OP_OBSERVATION: "recordPostOpObservation",
    EntryKind.WARD_ROUND: "recordWardRound",
    EntryKind.DATA_CONSENT: "registerClient",
}
