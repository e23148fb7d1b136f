"""What staff write into each part of the client file: one input per part, used both to record
an entry (with the client and an idempotency key) and to correct one (`amendClientEntry`)."""

from __future__ import annotations

from datetime import date

import strawberry

from domain.client_file import kinds
from schema import idempotency
from schema.clients import file_enums  # noqa: F401  (describes the enums below)
from schema.clients.post_op_inputs import PostOpObservationFields, WardRoundFields

CLIENT = "The client whose file it is."
OPTIONAL_DATE = "Not after today, not before the client's birth date."


@strawberry.input(
    description="A medical-history entry: a condition, an earlier treatment, a trait."
)
class MedicalHistoryFields:
    topic: kinds.HistoryTopic = strawberry.field(description="What the entry is about.")
    description: str = strawberry.field(description="What the client said or staff observed.")
    treatment: str | None = strawberry.field(
        default=None, description="The earlier treatment or operation; required for those topics."
    )
    treated_on: date | None = strawberry.field(default=None, description=OPTIONAL_DATE)
    effect: str | None = strawberry.field(
        default=None, description="The treatment's effect and any side effects."
    )


@strawberry.input(description="An allergy.")
class AllergyFields:
    substance: str = strawberry.field(description="What the client is allergic to.")
    reaction: str = strawberry.field(description="What happened.")
    severity: kinds.AllergySeverity = strawberry.field(description="How bad it was.")


@strawberry.input(description="A medication the client takes, or took until `stoppedOn`.")
class MedicationFields:
    name: str = strawberry.field(description="The medicine or active substance.")
    dose: str | None = strawberry.field(default=None, description="Dose and frequency.")
    since: date | None = strawberry.field(default=None, description=OPTIONAL_DATE)
    stopped_on: date | None = strawberry.field(
        default=None,
        description="The day the client stopped taking it; empty while she takes it. A stop "
        "is recorded by amending the medication's entry (`amendClientEntry`, its `medication` "
        'whole, with this day and a reason such as "stopped"): the entry as it was stays '
        "readable. Not before `since`; " + OPTIONAL_DATE,
    )
    note: str | None = strawberry.field(default=None, description="Anything else about it.")


@strawberry.input(description="Pregnancy and lactation as the client states them on a day.")
class PregnancyStatusFields:
    pregnant: bool = strawberry.field(description="Pregnant, as stated.")
    lactating: bool = strawberry.field(description="Breastfeeding, as stated.")
    stated_on: date = strawberry.field(description="The day it was stated; " + OPTIONAL_DATE)
    note: str | None = strawberry.field(default=None, description="Anything else about it.")


@strawberry.input(description="A service-card entry; some sections need more fields (see each).")
class ServiceCardFields:
    section: kinds.ServiceCardSection = strawberry.field(description="The card's section.")
    note: str = strawberry.field(description="What staff noticed or were told.")
    minutes: int | None = strawberry.field(
        default=None, description="CLINIC_DELAY, CLIENT_LATENESS only (and required): 1 to 1440."
    )
    occurred_on: date | None = strawberry.field(
        default=None, description="CLINIC_DELAY, CLIENT_LATENESS only (and required): the day."
    )
    ask_about_results: bool | None = strawberry.field(
        default=None,
        description="PHONE_WISHES only (and required): may staff ask about results and "
        "impressions? False: her calls are done without a score, `recordSurvey` is refused.",
    )


@strawberry.input(
    description="The guardian who consented to a minor's data being kept, as `registerClient` "
    "takes them."
)
class DataConsentGuardianFields:
    guardian_name: str = strawberry.field(
        description="The guardian's name (at most 200; kept on one line)."
    )
    guardian_relation: str = strawberry.field(
        description="How the guardian is related to the client (at most 100; kept on one line)."
    )


@strawberry.input(description="Record a medical-history entry.")
class RecordMedicalHistoryInput(MedicalHistoryFields):
    client_id: strawberry.ID = strawberry.field(description=CLIENT)
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="Record an allergy.")
class RecordAllergyInput(AllergyFields):
    client_id: strawberry.ID = strawberry.field(description=CLIENT)
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="Record a medication.")
class RecordMedicationInput(MedicationFields):
    client_id: strawberry.ID = strawberry.field(description=CLIENT)
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="Record pregnancy and lactation as stated.")
class RecordPregnancyStatusInput(PregnancyStatusFields):
    client_id: strawberry.ID = strawberry.field(description=CLIENT)
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="Add a service-card entry.")
class AddServiceCardEntryInput(ServiceCardFields):
    client_id: strawberry.ID = strawberry.field(description=CLIENT)
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(
    description="Correct an entry: give its part's fields as they should read, whole (the "
    "part of the corrected entry, and only that one)."
)
class AmendClientEntryInput:
    entry_id: strawberry.ID = strawberry.field(description="The entry corrected.")
    reason: str = strawberry.field(description="Why it is corrected.")
    medical_history: MedicalHistoryFields | None = strawberry.field(
        default=None, description="The corrected medical-history entry."
    )
    allergy: AllergyFields | None = strawberry.field(
        default=None, description="The corrected allergy."
    )
    medication: MedicationFields | None = strawberry.field(
        default=None, description="The corrected medication."
    )
    pregnancy_status: PregnancyStatusFields | None = strawberry.field(
        default=None, description="The corrected pregnancy and lactation statement."
    )
    service_card: ServiceCardFields | None = strawberry.field(
        default=None, description="The corrected service-card entry."
    )
    post_op_observation: PostOpObservationFields | None = strawberry.field(
        default=None,
        description="The corrected observation after an operation (of the entry's journey, "
        "checked against its operation as `recordPostOpObservation` checks it).",
    )
    ward_round: WardRoundFields | None = strawberry.field(
        default=None,
        description="The corrected ward round (of the entry's journey, checked as "
        "`recordWardRound` checks it).",
    )
    data_consent_guardian: DataConsentGuardianFields | None = strawberry.field(
        default=None,
        description="The corrected guardian of the client's data consent (the entry "
        "`Client.dataConsentGuardian.entryId` names), both fields required and checked as "
        "`registerClient` checks them; by the desk that registered her, or a supervisor.",
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="Mark an entry entered in error; it stays in the file, marked.")
class MarkEnteredInErrorInput:
    entry_id: strawberry.ID = strawberry.field(
        description="The entry written by mistake; the latest of its chain (`Conflict` for an "
        "entry already corrected)."
    )
    reason: str = strawberry.field(description="Why it is wrong (e.g. the wrong client's file).")
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(
    description="Correct the identity page; fields not given stay as they are. The page as it "
    "was stays readable in `Client.identityHistory`."
)
class AmendClientIdentityInput:
    client_id: strawberry.ID = strawberry.field(description="The client.")
    reason: str = strawberry.field(description="Why it is corrected.")
    full_name: str | None = strawberry.field(default=None, description="The corrected name.")
    phone: str | None = strawberry.field(
        default=None, description="The corrected phone, international form: +48 600 100 200."
    )
    email: str | None = strawberry.field(default=None, description="The corrected e-mail.")
    clear_email: bool = strawberry.field(
        default=False,
        description="True: the e-mail is removed (the client withdrew it); the version before "
        "keeps it in `Client.identityHistory`. Not with `email`; with no e-mail to remove it "
        "changes nothing (ValidationFailed on `input`).",
    )
    idempotency_key: str | None = idempotency.key_field()
