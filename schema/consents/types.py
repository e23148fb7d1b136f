"""The consent types the SPA reads: template versions, their texts, signatures, documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from domain.consent.signature import SignatureFormat, SignerCapacity
from domain.consent.templates import SECTIONS
from domain.journey.stages import ConsentKind
from domain.roles import Role
from domain.store.consents import ConsentSignature as SignatureRow
from domain.store.consents import ConsentTemplateVersion as VersionRow
from schema.context import Context
from schema.ids import encode_id
from schema.recorded_role import recorded_role
from schema.staff.types import StaffMember, staff_member

TEMPLATE_ID_TYPE = "ConsentTemplateVersion"
SIGNATURE_ID_TYPE = "ConsentSignature"

# The domain enums, registered with Strawberry under the same names (as in `schema.enums`).
strawberry.enum(SignerCapacity, name="SignerCapacity")
strawberry.enum(SignatureFormat, name="SignatureFormat")


@strawberry.type(description="A consent's text in one language, section by section.")
class ConsentText:
    language: str = strawberry.field(description="Language code (pl, ru, zh, en, ...).")
    title: str = strawberry.field(description="The procedure and consent named.")
    purpose: str = strawberry.field(description="What the intervention is for.")
    expected_effect: str = strawberry.field(description="The effect to expect.")
    risks: str = strawberry.field(description="The risks.")
    complications: str = strawberry.field(description="Possible complications.")
    alternatives: str = strawberry.field(description="The alternatives, doing nothing included.")
    aftercare: str = strawberry.field(description="Aftercare the client must follow.")

    @classmethod
    def of(cls, language: str, sections: dict[str, str]) -> ConsentText:
        return cls(language=language, **{s: sections[s] for s in SECTIONS})


@strawberry.type(description="One published, unchangeable version of a consent template.")
class ConsentTemplateVersion:
    id: strawberry.ID = strawberry.field(description="Global id of this version.")
    template_key: str = strawberry.field(description="The template; versions share it.")
    procedure_type: str = strawberry.field(description="The procedure type it is for.")
    kind: ConsentKind = strawberry.field(description="Which consent it is.")
    version: int = strawberry.field(description="1 for the first version, then 2, 3, ...")
    content_hash: str = strawberry.field(
        description="SHA-256 (hex) of the version's canonical JSON form."
    )
    texts: list[ConsentText] = strawberry.field(description="The text in every language.")
    published_by: str = strawberry.field(description="Raw account id of the supervisor.")
    published_at: datetime = strawberry.field(description="When it was published, in UTC.")

    @strawberry.field(
        description="The supervisor who published it (`publishedBy`), with the name colleagues "
        "see; null if the account is gone."
    )
    async def published_by_staff(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.published_by)

    @classmethod
    def from_row(cls, row: VersionRow, with_texts: bool = True) -> ConsentTemplateVersion:
        """The version; without its texts (a list whose query does not ask them), `texts` is
        empty, and the row need not hold them."""
        texts: dict[str, Any] = row.texts if with_texts else {}
        return cls(
            id=strawberry.ID(encode_id(TEMPLATE_ID_TYPE, row.id)),
            template_key=row.template_key,
            procedure_type=row.procedure_type,
            kind=ConsentKind(row.kind),
            version=row.version,
            content_hash=row.content_hash,
            texts=[ConsentText.of(lang, texts[lang]) for lang in sorted(texts)],
            published_by=row.published_by,
            published_at=row.published_at,
        )


@strawberry.type(description="One signed consent, withdrawn or in force.")
class ConsentSignature:
    id: strawberry.ID = strawberry.field(description="Global id; `consentDocument` takes it.")
    journey_id: strawberry.ID | None = strawberry.field(
        description="The journey it was signed in; null: signed for the client in no journey "
        "(a DATA_SHARING consent, `signSharingConsent`)."
    )
    kind: ConsentKind = strawberry.field(description="Which consent.")
    template_version_id: strawberry.ID = strawberry.field(
        description="The exact template version signed."
    )
    content_hash: str = strawberry.field(description="The version's hash as signed.")
    language: str = strawberry.field(description="The language the client read and signed.")
    signer_name: str = strawberry.field(description="Who signed.")
    capacity: SignerCapacity = strawberry.field(description="The client, or a guardian.")
    guardian_name: str | None = strawberry.field(description="The guardian who signed.")
    guardian_relation: str | None = strawberry.field(
        description="The guardian's relation to the client (parent, legal guardian, ...)."
    )
    witness_id: str = strawberry.field(description="Raw account id of the staff witness.")
    stored_witness_role: strawberry.Private[str]
    signature_format: SignatureFormat | None = strawberry.field(
        description="How the signature was drawn; null when none was captured."
    )
    signed_at: datetime = strawberry.field(description="When, in UTC.")
    withdrawn_at: datetime | None = strawberry.field(description="When withdrawn; null: in force.")

    @strawberry.field(description="The witness's role then.")
    def witness_role(self) -> Role:
        return recorded_role(self.stored_witness_role)

    @strawberry.field(
        description="The staff witness, with the name colleagues see; null if the account is gone."
    )
    async def witness(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.witness_id)

    @classmethod
    def from_row(cls, row: SignatureRow, withdrawn_at: datetime | None) -> ConsentSignature:
        fmt = row.signature_format
        return cls(
            id=strawberry.ID(encode_id(SIGNATURE_ID_TYPE, row.id)),
            journey_id=(
                strawberry.ID(encode_id("Journey", row.journey_id)) if row.journey_id else None
            ),
            kind=ConsentKind(row.kind),
            template_version_id=strawberry.ID(encode_id(TEMPLATE_ID_TYPE, row.template_version_id)),
            content_hash=row.content_hash,
            language=row.language,
            signer_name=row.signer_name,
            capacity=SignerCapacity(row.capacity),
            guardian_name=row.guardian_name,
            guardian_relation=row.guardian_relation,
            witness_id=row.witness_id,
            stored_witness_role=row.witness_role,
            signature_format=SignatureFormat(fmt) if fmt else None,
            signed_at=row.signed_at,
            withdrawn_at=withdrawn_at,
        )


@strawberry.type(description="A signed consent with the text exactly as signed, and its proof.")
class ConsentDocument:
    signature: ConsentSignature = strawberry.field(description="Who signed what, when.")
    template: ConsentTemplateVersion = strawberry.field(description="The version signed.")
    text: ConsentText = strawberry.field(description="The text in the language signed.")
    signature_data: str | None = strawberry.field(
        description="The drawn signature: SVG path data, or a base64 PNG."
    )
    computed_hash: str = strawberry.field(
        description="SHA-256 of the stored version's canonical form, computed now."
    )
    hash_matches: bool = strawberry.field(
        description="Whether the text now stored still has the hash recorded at signing."
    )
