"""The client file's entries, their error marks, and identity amendments: all append-only.

A correction never edits a row: an amended entry gets a new entry that points at it (each
entry is corrected at most once, so the corrections of one entry form a chain), an entry
written by mistake gets an error mark, and a new name, phone or e-mail is an identity
amendment. The database refuses UPDATE and DELETE on all three tables (migration 0013).
"""

from __future__ import annotations

from typing import Any

from tortoise import fields

from domain.store.models import AppendOnlyModel, Client


class ClientEntry(AppendOnlyModel):
    """One entry of one part of the file (`kind`), with its author, role and time."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="file_entries", on_delete=fields.RESTRICT
    )
    client_id: str
    kind = fields.CharField(max_length=32)
    body: Any = fields.JSONField()
    author_id = fields.CharField(max_length=64)
    author_role = fields.CharField(max_length=32)
    recorded_at = fields.DatetimeField()
    # The entry this one corrects; unique, so an entry has at most one direct correction.
    amends: fields.OneToOneNullableRelation[ClientEntry] = fields.OneToOneField(
        "models.ClientEntry", related_name="amended_by", null=True, on_delete=fields.RESTRICT
    )
    amends_id: str | None
    reason = fields.CharField(max_length=1000, null=True)

    class Meta:
        table = "client_entry"
        indexes = (("client_id", "kind", "recorded_at"),)


class ClientEntryError(AppendOnlyModel):
    """An entry marked "entered in error": it stays in the file, shown with this mark."""

    id = fields.CharField(primary_key=True, max_length=64)
    entry: fields.OneToOneRelation[ClientEntry] = fields.OneToOneField(
        "models.ClientEntry", related_name="error_mark", on_delete=fields.RESTRICT
    )
    entry_id: str
    reason = fields.CharField(max_length=1000)
    author_id = fields.CharField(max_length=64)
    author_role = fields.CharField(max_length=32)
    marked_at = fields.DatetimeField()

    class Meta:
        table = "client_entry_error"


class ClientIdentityAmendment(AppendOnlyModel):
    """The identity page as corrected: the whole identity after the correction, and why."""

    id = fields.CharField(primary_key=True, max_length=64)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="identity_amendments", on_delete=fields.RESTRICT
    )
    client_id: str
    full_name = fields.CharField(max_length=200)
    phone = fields.CharField(max_length=40, null=True)
    email = fields.CharField(max_length=200, null=True)
    reason = fields.CharField(max_length=1000)
    author_id = fields.CharField(max_length=64)
    author_role = fields.CharField(max_length=32)
    amended_at = fields.DatetimeField()

    class Meta:
        table = "client_identity_amendment"
        indexes = (("client_id", "amended_at"),)


class ClientMatchKey(AppendOnlyModel):
    """A key a client of the clinic is found by when someone registers them again
    (`domain.client_file.matching`): one per name and birth date, phone and e-mail the identity
    has held, as registered or amended, so a number given up still names its client."""

    id = fields.IntField(primary_key=True)
    clinic_id = fields.CharField(max_length=64)
    key = fields.CharField(max_length=255)
    client_id = fields.CharField(max_length=64)

    class Meta:
        table = "client_match_key"
        indexes = (("clinic_id", "key"),)
        unique_together = (("client_id", "key"),)
