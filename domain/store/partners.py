"""Partner salons in the read model. Every table is append-only: a partner's details change
by a new registration version, a lapse is flagged once, a referral is written once."""

from __future__ import annotations

from typing import Any

from tortoise import fields

from domain.store.models import AppendOnlyModel


class PartnerRegistration(AppendOnlyModel):
    """One version of a partner's registration; the highest version is in force."""

    id = fields.CharField(primary_key=True, max_length=64)
    partner_id = fields.CharField(max_length=64, db_index=True)
    clinic_id = fields.CharField(max_length=64, db_index=True)
    version = fields.IntField()
    name = fields.CharField(max_length=200)
    agreement_reference = fields.CharField(max_length=200, null=True)
    bank_details = fields.CharField(max_length=500, null=True)
    premises_photo_ids: Any = fields.JSONField()
    registered_by = fields.CharField(max_length=64)
    registered_at = fields.DatetimeField()
    # The name case-folded, as `partners` orders them: the database orders this column byte by
    # byte, which no collation's lower() matches for every script (`partner_reads`). Written
    # with each version from its name (`__init__`); migration 0043 gave it to the versions before.
    name_order = fields.CharField(max_length=600, null=True)

    class Meta:
        table = "partner_registration"
        unique_together = (("partner_id", "version"),)
        indexes = (("clinic_id", "partner_id", "version"),)  # each partner's newest

    def __init__(self, **kwargs: Any) -> None:
        # Made here, not in `save`: `bulk_create` writes rows it never saves.
        if "name" in kwargs:
            kwargs["name_order"] = name_order(kwargs["name"])
        super().__init__(**kwargs)


def name_order(name: str) -> str:
    """What a partner's name is ordered by: case-folded, compared by code point."""
    return name.casefold()


class PartnerReferral(AppendOnlyModel):
    """A journey the partner sent (reception recorded the arrival as a partner referral)."""

    id = fields.IntField(primary_key=True)
    clinic_id = fields.CharField(max_length=64)
    partner_id = fields.CharField(max_length=64, db_index=True)
    journey_id = fields.CharField(max_length=64, unique=True)
    client_id = fields.CharField(max_length=64)
    recorded_by = fields.CharField(max_length=64)
    at = fields.DatetimeField()

    class Meta:
        table = "partner_referral"


class PartnerLapse(AppendOnlyModel):
    """A deadline of seed 003 the partner missed, flagged by the partner's workflow."""

    id = fields.IntField(primary_key=True)
    clinic_id = fields.CharField(max_length=64)
    partner_id = fields.CharField(max_length=64, db_index=True)
    milestone = fields.CharField(max_length=32)
    due_at = fields.DatetimeField()
    flagged_at = fields.DatetimeField()

    class Meta:
        table = "partner_lapse"
        unique_together = (("partner_id", "milestone"),)
