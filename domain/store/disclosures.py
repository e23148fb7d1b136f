"""The custodian of a clinic's records and the disclosures of clients' files: append-only.

Seed 002 ("客户档案应指定专人管理") and DOMAIN.md (000, 002): one file per client, kept by a
named custodian, shared only with the client's written consent. A custodian named is a new
appointment, the newest stands, and who kept the records when stays readable. A disclosure is
the record of one sharing: who received which parts, why, how, on which signed consent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain.journey.stages import ConsentKind
from domain.store.consents import ConsentSignature, ConsentWithdrawal
from domain.store.models import AppendOnlyModel, Client


class RecordsCustodianAppointment(AppendOnlyModel):
    """A staff account of the clinic named the custodian of its records, from `appointed_at`
    until the clinic's next appointment."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    staff_id = fields.CharField(max_length=64)
    appointed_by = fields.CharField(max_length=64)
    appointed_by_role = fields.CharField(max_length=32)
    appointed_at = fields.DatetimeField()

    class Meta:
        table = "records_custodian_appointment"
        indexes = (("clinic_id", "appointed_at"),)


class FileDisclosure(AppendOnlyModel):
    """Parts of a client's file given to someone outside the clinic, on the client's signed
    DATA_SHARING consent (`consent_signature_id`)."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="file_disclosures", on_delete=fields.RESTRICT
    )
    client_id: str
    consent_signature_id = fields.CharField(max_length=64)
    recipient_name = fields.CharField(max_length=200)
    recipient_organisation = fields.CharField(max_length=200, null=True)
    purpose = fields.TextField()
    parts: Any = fields.JSONField()  # `domain.client_file.disclosure.DisclosedPart` values
    channel = fields.CharField(max_length=32)
    # The custodian of the clinic's records when it was recorded; none named: null.
    custodian_id = fields.CharField(max_length=64, null=True)
    recorded_by = fields.CharField(max_length=64)
    recorded_by_role = fields.CharField(max_length=32)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "file_disclosure"
        indexes = (("client_id", "recorded_at"),)


async def current_custodian(clinic_id: str) -> RecordsCustodianAppointment | None:
    """The clinic's newest appointment; None: no custodian was ever named."""
    newest = RecordsCustodianAppointment.filter(clinic_id=clinic_id)
    return await newest.order_by("-appointed_at", "-id").first()


@asynccontextmanager
async def client_locked(client_id: str) -> AsyncIterator[BaseDBAsyncClient]:
    """A transaction holding the client's row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
    transactions begin IMMEDIATE, one writer at a time). A disclosure checks the client's
    DATA_SHARING consent and writes under it, and every withdrawal of one is written under it:
    checked apart, a withdrawal committed between the check and the write let one disclosure
    through on a consent no longer in force."""
    async with in_transaction() as connection:
        await Client.filter(id=client_id).select_for_update().using_db(connection).first()
        yield connection


async def sharing_consent(
    client_id: str, connection: BaseDBAsyncClient | None = None
) -> tuple[str | None, datetime | None]:
    """The client's newest signed DATA_SHARING consent not withdrawn (its signature's id), or,
    when none is in force, when the latest one was withdrawn (None: none was ever signed).
    A consent withdrawn after its journey ended has its signature's withdrawal too."""
    signed = ConsentSignature.filter(
        client_id=client_id, kind=ConsentKind.DATA_SHARING.value
    ).using_db(connection)
    rows = await signed.order_by("-signed_at", "-id").values_list("id", flat=True)
    ids = [str(i) for i in rows]
    if not ids:
        return None, None
    withdrawn = dict(
        await ConsentWithdrawal.filter(signature_id__in=ids)
        .using_db(connection)
        .values_list("signature_id", "withdrawn_at")
    )
    in_force = next((i for i in ids if i not in withdrawn), None)
    if in_force is not None:
        return in_force, None
    return None, max(withdrawn.values())
