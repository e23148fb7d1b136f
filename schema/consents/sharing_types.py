"""The inputs and answers of `signSharingConsent` and `withdrawSharingConsent`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.consent.signature import SignerCapacity
from schema import idempotency
from schema.consents.types import ConsentSignature
from schema.errors import Conflict, NotAuthorized, NotFound, ValidationFailed
from schema.journeys.consent import DrawnSignatureInput


@strawberry.input(
    description="The client signs a DATA_SHARING consent for herself, in no journey: the "
    "published template's version and language she read, who signs and how."
)
class SignSharingConsentInput:
    client_id: strawberry.ID = strawberry.field(description="The client (a `Client` id).")
    signer_name: str = strawberry.field(description="Who signs, as they write their name.")
    template_id: str = strawberry.field(
        description="The key of a published DATA_SHARING template (no paper form here)."
    )
    template_version: str = strawberry.field(
        description="The version signed: the newest offering the signer's language."
    )
    language: str = strawberry.field(default="pl", description="The language read and signed.")
    guardian_name: str | None = strawberry.field(
        default=None, description="Required when the client is under 18."
    )
    guardian_relation: str | None = strawberry.field(
        default=None, description="The guardian's relation to the client; a guardian needs it."
    )
    capacity: SignerCapacity | None = strawberry.field(
        default=None,
        description="Who signs: the client or a guardian. Default: GUARDIAN when a "
        "`guardianName` is given, else CLIENT. A client under 18 signs only by a guardian.",
    )
    rights_explained: bool = strawberry.field(
        default=False, description="Privacy, information, choice and participation explained."
    )
    signature: DrawnSignatureInput | None = strawberry.field(
        default=None, description="The drawn signature, checked for type and size."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="The client withdraws her consent to share her file.")
class WithdrawSharingConsentInput:
    client_id: strawberry.ID = strawberry.field(description="The client (a `Client` id).")
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The DATA_SHARING consent signed.")
class SharingConsentPayload:
    signature: ConsentSignature = strawberry.field(
        description="The signature; `consentDocument` shows the text as signed."
    )


@strawberry.type(description="The DATA_SHARING consents the withdrawal ended.")
class SharingConsentWithdrawalPayload:
    withdrawn: list[ConsentSignature] = strawberry.field(
        description="Every DATA_SHARING consent of the client that was in force, signed for "
        "her or in a journey, now withdrawn."
    )


SignSharingConsentResult = Annotated[
    SharingConsentPayload | ValidationFailed | NotFound | NotAuthorized | Conflict,
    strawberry.union("SignSharingConsentResult", description="The consent signed, or why not."),
]
WithdrawSharingConsentResult = Annotated[
    SharingConsentWithdrawalPayload | ValidationFailed | NotFound | NotAuthorized | Conflict,
    strawberry.union(
        "WithdrawSharingConsentResult", description="The consents withdrawn, or why not."
    ),
]
