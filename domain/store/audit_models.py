"""Tables of the audit trail: the entries (append-only, hash-chained per clinic) and each
clinic's chain head, the row a writer locks so that one clinic's chain never forks."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from domain.audit import HASHED_FIELDS, AuditRecord
from domain.store.models import AppendOnlyModel

ENTRY_COLUMNS = (*HASHED_FIELDS, "hash")  # an entry's columns, in the order appends write them
ROWS_PER_INSERT = 500  # both databases bound the parameters of one statement


def entry_values(record: AuditRecord, digest: str) -> list[Any]:
    """The values of `ENTRY_COLUMNS` for `record`, hashed to `digest`."""
    return [*(getattr(record, name) for name in HASHED_FIELDS), digest]


class AuditEntry(AppendOnlyModel):
    """Who read or wrote which client's data, when, in which request. The database refuses
    updates and deletes (triggers of the audit_log migration); `hash` covers every other column."""

    id = fields.CharField(primary_key=True, max_length=36)
    clinic_id = fields.CharField(max_length=64)
    seq = fields.BigIntField()
    at = fields.DatetimeField()
    actor_id = fields.CharField(max_length=64)
    actor_role = fields.CharField(max_length=32)
    client_id = fields.CharField(max_length=64)
    action = fields.CharField(max_length=64)
    request_id = fields.CharField(max_length=128, null=True)
    prev_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64)

    class Meta:
        table = "audit_entry"
        unique_together = (("clinic_id", "seq"),)
        # auditLog: one client's entries, newest first.
        indexes = (("clinic_id", "client_id", "seq"),)


class AuditChainHead(Model):
    """The last seq and hash of a clinic's chain, updated in the transaction that appends."""

    clinic_id = fields.CharField(primary_key=True, max_length=64)
    seq = fields.BigIntField()
    hash = fields.CharField(max_length=64)

    class Meta:
        table = "audit_chain_head"
