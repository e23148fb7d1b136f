"""Read model of the triage desks: the append-only decision log, ownership and revenue credit.

Only `triage_board` is rewritten (the latest snapshot of each clinic's desk); everything else is
written once. Corrections are new log entries pointing at the one they amend.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from domain.store.models import AppendOnlyModel


class TriageEntry(AppendOnlyModel):
    """One line of a desk's log. (clinic, seq) makes the at-least-once writer idempotent."""

    id = fields.IntField(primary_key=True)
    clinic_id = fields.CharField(max_length=64)
    seq = fields.IntField()
    day = fields.CharField(max_length=10, db_index=True)
    kind = fields.CharField(max_length=32)
    at = fields.DatetimeField()
    actor_id = fields.CharField(max_length=64)
    consultant_id = fields.CharField(max_length=64, null=True)
    journey_id = fields.CharField(max_length=64, null=True, db_index=True)
    client_id = fields.CharField(max_length=64, null=True)
    counted = fields.BooleanField(default=False)
    reason = fields.CharField(max_length=1000)
    policy = fields.CharField(max_length=100)
    amends_seq = fields.IntField(null=True)
    details: Any = fields.JSONField()

    class Meta:
        table = "triage_entry"
        unique_together = (("clinic_id", "seq"),)


class TriageBoard(Model):
    """The latest snapshot of a clinic's desk, written only by a newer version."""

    clinic_id = fields.CharField(primary_key=True, max_length=64)
    version = fields.IntField()
    day = fields.CharField(max_length=10)
    state: Any = fields.JSONField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "triage_board"


class OwnershipTransfer(AppendOnlyModel):
    """Who owns a client, as a history: the latest row is the owner (null: back to rotation)."""

    id = fields.IntField(primary_key=True)
    clinic_id = fields.CharField(max_length=64)
    client_id = fields.CharField(max_length=64, db_index=True)
    consultant_id = fields.CharField(max_length=64, null=True)
    from_consultant_id = fields.CharField(max_length=64, null=True)
    reason = fields.CharField(max_length=1000)
    entry_seq = fields.IntField()
    at = fields.DatetimeField()

    class Meta:
        table = "ownership_transfer"


class RevenueCredit(AppendOnlyModel):
    """A journey's revenue split. The rows of its latest entry are the ones in force."""

    id = fields.IntField(primary_key=True)
    clinic_id = fields.CharField(max_length=64)
    journey_id = fields.CharField(max_length=64, db_index=True)
    consultant_id = fields.CharField(max_length=64)
    percent = fields.IntField()
    rule = fields.CharField(max_length=40)
    entry_seq = fields.IntField()
    at = fields.DatetimeField()

    class Meta:
        table = "revenue_credit"


class LeadContact(AppendOnlyModel):
    """A phone or online contact with a prospective client, by a consultant. For such leads the
    earliest recorded contact wins ownership (seed 004, first-consultant ownership)."""

    id = fields.IntField(primary_key=True)
    clinic_id = fields.CharField(max_length=64)
    client_id = fields.CharField(max_length=64, db_index=True)
    consultant_id = fields.CharField(max_length=64)
    channel = fields.CharField(max_length=32)
    at = fields.DatetimeField()
    recorded_by = fields.CharField(max_length=64)
    note = fields.CharField(max_length=1000, null=True)
    # Derived from (account, idempotency key): two calls racing with one key record one contact.
    request_id = fields.CharField(max_length=64, null=True, unique=True)

    class Meta:
        table = "lead_contact"


class DeskNote(AppendOnlyModel):
    """What staff wrote for one desk change: its reason and, for a new rotation policy, the
    policy's name. The desk's Temporal workflow carries only this row's id, so the words stay
    here; the read model joins them to the log entry that names the note."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64, db_index=True)
    author_id = fields.CharField(max_length=64)
    operation = fields.CharField(max_length=64)
    text = fields.TextField()
    policy_name = fields.CharField(max_length=100, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "desk_note"
