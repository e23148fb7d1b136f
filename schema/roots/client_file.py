"""Mutations: the client file (its parts, corrections, export), consent templates and the
catalogue."""

from __future__ import annotations

import strawberry

from schema.catalog import api as catalog_api
from schema.clients import (
    custodian,
    disclosures,
    file_corrections,
    file_export,
    file_mutations,
    post_op,
)
from schema.clients import identity as client_identity
from schema.clients import mutations as client_mutations
from schema.consents import sharing, sharing_withdrawal
from schema.consents import templates as consent_templates
from schema.photos import consent as photo_consent
from schema.photos import upload as photo_upload


@strawberry.type
class ClientFileMutations:
    register_client = strawberry.mutation(resolver=client_mutations.register_client)
    record_medical_history = strawberry.mutation(
        resolver=file_mutations.record_medical_history,
        description="Clinicians: a medical-history entry (condition, earlier treatment and its "
        "effect, lifestyle, skin care, state of mind, aesthetic wishes).",
    )
    record_allergy = strawberry.mutation(
        resolver=file_mutations.record_allergy,
        description="Clinicians: an allergy (to what, the reaction, how severe).",
    )
    record_medication = strawberry.mutation(
        resolver=file_mutations.record_medication,
        description="Clinicians: a medication the client takes, or took (`stoppedOn`). To "
        "record that she stopped one already in the file, amend its entry "
        "(`amendClientEntry`), which any clinician may do for a stop.",
    )
    record_pregnancy_status = strawberry.mutation(
        resolver=file_mutations.record_pregnancy_status,
        description="Clinicians: pregnancy and lactation as the client states them on a day.",
    )
    add_service_card_entry = strawberry.mutation(
        resolver=file_mutations.add_service_card_entry,
        description="Staff who meet the client: a service-card entry.",
    )
    record_post_op_observation = strawberry.mutation(
        resolver=post_op.record_post_op_observation,
        description="Nurses and doctors: an observation in the ward after an operation "
        "(seed 003: a round every 15 to 30 minutes, the vital signs hourly, after a general "
        "anaesthesia flat and nothing by mouth for 6 hours): when, the vital signs with their "
        "values, the observer being the caller. A surgery journey whose operation is done, "
        "observed within 24 hours of its end; a journey takes 100. An entry of the client's "
        "file (`Client.postOpObservations`), in her copy.",
    )
    record_ward_round = strawberry.mutation(
        resolver=post_op.record_ward_round,
        description="Doctors, and the doctor's assistant (a nurse's account): the ward round on "
        'the day after an operation (seed 003: "医生/医助第二天须到病房去查看"): when, what was '
        "found, whether she recovers as expected, what is next. A surgery journey whose "
        "operation is done, seen on the next day of the clinic's calendar; a journey takes 4. "
        "An entry of the client's file (`Client.wardRounds`), in her copy.",
    )
    amend_client_entry = strawberry.mutation(
        resolver=file_corrections.amend_client_entry,
        description="Correct an entry of the client file: a new entry that points at the "
        "original, which stays readable. Its author or a supervisor; a medication's "
        "`stoppedOn` alone, also any role that records medications (a stop more than a year "
        "back: its author or a supervisor).",
    )
    mark_entered_in_error = strawberry.mutation(
        resolver=file_corrections.mark_entered_in_error,
        description="Mark an entry entered in error instead of deleting it; it stays, marked. "
        "Its author or a supervisor. Marking a medication's stop retracts the medication with it "
        "(the stop is its latest version): to undo a wrong stop alone, amend `stoppedOn`, or "
        "clear it with null.",
    )
    amend_client_identity = strawberry.mutation(
        resolver=client_identity.amend_client_identity,
        description="Correct the client's name, phone or e-mail, or remove the e-mail "
        "(`clearEmail`); the page as it was stays "
        "readable in `identityHistory`. An identity takes 200 amendments (the client's own "
        "copy of the file carries them all); one more is ValidationFailed on `clientId`.",
    )
    export_client_file = strawberry.mutation(
        resolver=file_export.export_client_file,
        description="Supervisor: the client's own copy of their whole file (GDPR art. 15/20), "
        "as JSON and as a FHIR R4 Bundle, with who read the file; the copy is in the audit "
        "trail too.",
    )
    record_file_disclosure = strawberry.mutation(
        resolver=disclosures.record_file_disclosure,
        description="Supervisor: parts of the client's file given to someone outside the "
        "clinic (another doctor, an insurer, a laboratory, a lawyer): who, why, which parts, by "
        "which allowed channel (never e-mail or a personal drive). It stands on the client's "
        "newest signed DATA_SHARING consent not withdrawn; without one, SharingConsentMissing "
        "and nothing is recorded. In the audit trail, and listed by `fileDisclosures`.",
    )
    sign_sharing_consent = strawberry.mutation(
        resolver=sharing.sign_sharing_consent,
        description="Clinicians: the client's written consent to share her file outside the "
        "clinic (DATA_SHARING), signed at any time for the client, in no journey, on a "
        "published template (its version and hash kept), a guardian signing for a client "
        "under 18. `recordFileDisclosure` stands on it, as on one signed in a journey.",
    )
    withdraw_sharing_consent = strawberry.mutation(
        resolver=sharing_withdrawal.withdraw_sharing_consent,
        description="Clinicians: the client takes back her consent to share her file: every "
        "DATA_SHARING consent of hers in force, signed for her or in a journey, is withdrawn; "
        "none in force: ValidationFailed on `clientId`. Nothing is disclosed after it.",
    )
    set_records_custodian = strawberry.mutation(
        resolver=custodian.set_records_custodian,
        description="Supervisor: name the member of staff who keeps the clinic's client files "
        "(an active account of the clinic); earlier appointments are kept.",
    )
    publish_consent_template = strawberry.mutation(
        resolver=consent_templates.publish_consent_template,
        description="Supervisor: a new version of a consent template; published versions never "
        "change.",
    )
    set_catalog_item = strawberry.mutation(resolver=catalog_api.set_catalog_item)
    upload_photo = strawberry.mutation(
        resolver=photo_upload.upload_photo,
        description="Clinicians: a photo of a client, tagged with journey, stage and body area "
        "(multipart request; JPEG, PNG or HEIC, size bounded). Taken only while the client "
        "consents to photos for CLINICAL_RECORD (`setPhotoConsent`, or a signed PHOTO consent): "
        "otherwise ValidationFailed on `clientId`, nothing stored.",
    )
    set_photo_consent = strawberry.mutation(
        resolver=photo_consent.set_photo_consent,
        description="The client gives or withdraws one purpose for their photos; withdrawing "
        "stops links already issued for it. A purpose already as asked records nothing new: "
        "`change` is the change that made it so. A client under 18 gives any purpose, "
        "CLINICAL_RECORD included, only by a PHOTO consent their guardian signs "
        "(`signConsent`): here giving one is refused (ValidationFailed on `given`), withdrawing "
        "one is recorded.",
    )
