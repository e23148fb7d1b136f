"""Consent templates, signatures and withdrawals: all append-only.

A published template version is never changed (the database refuses UPDATE and DELETE,
migration 0015): a new text is a new version. A signature points at the exact version and
stores that version's hash as signed, so the text can later be shown as signed and checked.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields

from domain.store.models import AppendOnlyModel, Client

TEMPLATE_KEY_MAX_LENGTH = 100


class ConsentTemplateVersion(AppendOnlyModel):
    """One published version of a consent template: its texts in every language and its hash."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    template_key = fields.CharField(max_length=TEMPLATE_KEY_MAX_LENGTH)
    procedure_type = fields.CharField(max_length=100)
    kind = fields.CharField(max_length=32)
    version = fields.IntField()
    texts: Any = fields.JSONField()
    content_hash = fields.CharField(max_length=64)
    published_by = fields.CharField(max_length=64)
    published_at = fields.DatetimeField()

    class Meta:
        table = "consent_template_version"
        unique_together = (("clinic_id", "template_key", "version"),)


class ConsentSignature(AppendOnlyModel):
    """One signed consent: who signed, in what capacity, which exact text, witnessed by whom."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="consent_signatures", on_delete=fields.RESTRICT
    )
    client_id: str
    # The journey it was signed in; null: signed for the client, in no journey (a DATA_SHARING
    # consent, `signSharingConsent`).
    journey_id = fields.CharField(max_length=64, null=True)
    template_version: fields.ForeignKeyRelation[ConsentTemplateVersion] = fields.ForeignKeyField(
        "models.ConsentTemplateVersion", related_name="signatures", on_delete=fields.RESTRICT
    )
    template_version_id: str
    # The version's hash as the signer saw it: compared with a fresh hash of the stored text.
    content_hash = fields.CharField(max_length=64)
    kind = fields.CharField(max_length=32)
    language = fields.CharField(max_length=16)
    signer_name = fields.CharField(max_length=200)
    capacity = fields.CharField(max_length=16)
    guardian_name = fields.CharField(max_length=200, null=True)
    guardian_relation = fields.CharField(max_length=100, null=True)
    witness_id = fields.CharField(max_length=64)
    witness_role = fields.CharField(max_length=32)
    signature_format = fields.CharField(max_length=16, null=True)
    signature_data = fields.TextField(null=True)
    signed_at = fields.DatetimeField()

    class Meta:
        table = "consent_signature"
        indexes = (("client_id", "signed_at"), ("journey_id",))


class ConsentWithdrawal(AppendOnlyModel):
    """A consent withdrawn: the signature stays, with this withdrawal next to it."""

    id = fields.CharField(primary_key=True, max_length=64)
    signature: fields.OneToOneRelation[ConsentSignature] = fields.OneToOneField(
        "models.ConsentSignature", related_name="withdrawal", on_delete=fields.RESTRICT
    )
    signature_id: str
    recorded_by = fields.CharField(max_length=64)
    withdrawn_at = fields.DatetimeField()

    class Meta:
        table = "consent_withdrawal"


class ConsentWithdrawalAfterJourney(AppendOnlyModel):
    """A consent withdrawn once its journey had ended (`domain.consent.after_journey`): the
    journey's workflow has finished and records no step, so this row is the withdrawal's record,
    one per journey and kind (a consent signed again is signed in another journey). A signature
    row of the consent, when there is one, gets its `ConsentWithdrawal` too."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="consent_withdrawals_after_journey", on_delete=fields.RESTRICT
    )
    client_id: str
    journey_id = fields.CharField(max_length=64)
    kind = fields.CharField(max_length=32)
    note = fields.TextField(null=True)  # what the client said
    recorded_by = fields.CharField(max_length=64)
    recorded_by_role = fields.CharField(max_length=32)
    withdrawn_at = fields.DatetimeField()

    class Meta:
        table = "consent_withdrawal_after_journey"
        unique_together = (("journey_id", "kind"),)
