"""Tables of the read model and the client file.

Clinical tables are append-only (`AppendOnlyModel`): a correction is a new row that points at
the one it amends; the database refuses edits to them too (triggers, `store.append_only`).
The `journey` table is a projection of the workflow, rewritten on every event.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

# Column widths the API checks before querying by them (Tortoise refuses a longer value).
USERNAME_MAX_LENGTH = 100


class AppendOnlyViolation(RuntimeError):
    pass


class AppendOnlyModel(Model):
    """Rows are written once. Updates and deletes are refused in code, not by convention."""

    class Meta:
        abstract = True

    async def save(self, *args: Any, **kwargs: Any) -> None:
        if self._saved_in_db:
            raise AppendOnlyViolation(f"{type(self).__name__} rows are never edited")
        await super().save(*args, **kwargs)

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        raise AppendOnlyViolation(f"{type(self).__name__} rows are never deleted")


class Clinic(Model):
    id = fields.CharField(primary_key=True, max_length=64)
    name = fields.CharField(max_length=200)
    timezone = fields.CharField(max_length=64, default="Europe/Warsaw")
    # Stage SLA overrides in seconds, "CONSENT" or "CONSENT:RECHECK"; new journeys take them.
    stage_slas: Any = fields.JSONField(default=dict)

    class Meta:
        table = "clinic"


class StaffAccount(Model):
    id = fields.CharField(primary_key=True, max_length=64)
    clinic: fields.ForeignKeyRelation[Clinic] = fields.ForeignKeyField(
        "models.Clinic", related_name="staff"
    )
    clinic_id: str
    username = fields.CharField(max_length=USERNAME_MAX_LENGTH, unique=True)
    display_name = fields.CharField(max_length=200)
    role = fields.CharField(max_length=32)
    password_hash = fields.CharField(max_length=255)
    active = fields.BooleanField(default=True)
    # Set by an administrator's create or reset: only `changePassword` works until it is changed.
    must_change_password = fields.BooleanField(default=False)
    # A doctor's senior professional title (seed 004 三.4: a complex procedure is led by a doctor
    # holding one), set by an administrator or a supervisor (`setSeniorTitle`); migration 0047.
    senior_title = fields.BooleanField(default=False)
    # Tokens issued at or before this instant no longer work (logout everywhere, deactivation,
    # a new role or password). Null: none revoked.
    tokens_valid_after = fields.DatetimeField(null=True)

    class Meta:
        table = "staff_account"


class StaffName(AppendOnlyModel):
    """A staff member's display name from `since` on: records of the past (a client's copy of
    who saw their file) name staff as they were named then, though an account's name changes."""

    id = fields.IntField(primary_key=True)
    account_id = fields.CharField(max_length=64)
    # The account's clinic, and the seq its audit chain had reached when the name was given:
    # its entries above that seq are the name's (`domain.store.staff_names`).
    clinic_id = fields.CharField(max_length=64)
    display_name = fields.CharField(max_length=200)
    since = fields.DatetimeField()
    after_seq = fields.BigIntField()

    class Meta:
        table = "staff_name"
        indexes = (("account_id", "since"),)


class RevokedToken(Model):
    """One signed-out token (`logout`), kept until it would have expired anyway."""

    token_id = fields.CharField(primary_key=True, max_length=64)
    account_id = fields.CharField(max_length=64)
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "revoked_token"


class LiveSubscriptionLease(Model):
    """One open subscription of an account, held by the API process serving it until it ends,
    or until `expires_at` when that process stops renewing it (it died): what bounds an
    account's live subscriptions across every API process (`store.live_leases`)."""

    id = fields.CharField(primary_key=True, max_length=64)
    account_id = fields.CharField(max_length=64)
    holder = fields.CharField(max_length=64, db_index=True)  # the API process serving it
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "live_subscription_lease"
        indexes = (("account_id", "expires_at"),)


class Client(AppendOnlyModel):
    """The client file's identity page. Corrections come as `ClientAmendment` rows."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic: fields.ForeignKeyRelation[Clinic] = fields.ForeignKeyField(
        "models.Clinic", related_name="clients"
    )
    clinic_id: str
    full_name = fields.CharField(max_length=200, db_index=True)
    birth_date = fields.DateField()
    phone = fields.CharField(max_length=40, db_index=True)
    email = fields.CharField(max_length=200, null=True)
    occupation = fields.CharField(max_length=200, null=True)
    data_consent_at = fields.DatetimeField()
    registered_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "client"
        indexes = (("clinic_id", "created_at", "id"),)  # `clients`' pages, newest first


class Journey(Model):
    """Projection of one journey workflow. The facts column is the workflow's own snapshot."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64, db_index=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="journeys"
    )
    client_id: str
    consultant_id = fields.CharField(max_length=64, null=True, db_index=True)
    stage = fields.CharField(max_length=32, db_index=True)
    visit_category = fields.CharField(max_length=32)
    active = fields.BooleanField(default=True, db_index=True)
    started_at = fields.DatetimeField(db_index=True)
    stage_entered_at = fields.DatetimeField()
    last_event_seq = fields.IntField(default=0)
    facts: Any = fields.JSONField()
    # Supervision: when the current stage's SLA runs out (or ran out), and whether it did.
    sla_deadline = fields.DatetimeField(null=True)
    stuck = fields.BooleanField(default=False)
    stuck_since = fields.DatetimeField(null=True)
    stuck_reason = fields.CharField(max_length=200, null=True)
    # The code of the rule that marked it stuck (`StuckReason`), kept since migration 0048; null
    # while not stuck, and on a journey marked stuck before (read from `stuck_reason`'s words).
    stuck_reason_code = fields.CharField(max_length=40, null=True)

    class Meta:
        table = "journey"
        # The cockpit's questions: stuck journeys of a clinic by how long over, stage counts.
        indexes = (
            ("clinic_id", "stuck", "sla_deadline"),
            ("clinic_id", "active", "stage", "stuck"),  # covers the per-stage counts
            ("client_id", "active"),  # a client's journeys, its active one
        )


class JourneyEvent(AppendOnlyModel):
    """The append-only journey log. (journey, seq) makes the at-least-once writer idempotent."""

    id = fields.IntField(primary_key=True)
    journey_id = fields.CharField(max_length=64)
    # The journey's clinic, so that a clinic's events are read without every other clinic's
    # (a live subscriber's replay). Null only on an event stored before migration 0039 whose
    # journey had no row; the projection writes every event with it.
    clinic_id = fields.CharField(max_length=64, null=True)
    seq = fields.IntField()
    action = fields.CharField(max_length=40)
    from_stage = fields.CharField(max_length=32, null=True)
    to_stage = fields.CharField(max_length=32)
    actor_id = fields.CharField(max_length=64)
    actor_role = fields.CharField(max_length=32)
    at = fields.DatetimeField()
    summary = fields.CharField(max_length=500)
    record_id = fields.CharField(max_length=64, null=True, unique=True)
    # The journey as this event left it (the workflow's snapshot): a view as of any event can
    # be rebuilt. Null on events written before snapshots were kept.
    facts: Any = fields.JSONField(null=True)

    class Meta:
        table = "journey_event"
        unique_together = (("journey_id", "seq"),)
        indexes = (("clinic_id", "id"),)  # a clinic's events, newest first


class JourneyRecord(AppendOnlyModel):
    """What staff wrote for one action (plans, consents, notes): the clinical content.

    It is written first as a draft and takes effect when a journey event points at it
    (`journey_event.record_id` is a foreign key to it). A draft the journey refused stays,
    unattached and unread, until reconciliation voids it (`JourneyRecordVoid`).
    """

    id = fields.CharField(primary_key=True, max_length=64)
    journey_id = fields.CharField(max_length=64, db_index=True)
    kind = fields.CharField(max_length=40)
    body: Any = fields.JSONField()
    author_id = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)
    amends: fields.ForeignKeyNullableRelation[JourneyRecord] = fields.ForeignKeyField(
        "models.JourneyRecord", related_name="amendments", null=True
    )
    amends_id: str | None

    class Meta:
        table = "journey_record"
        indexes = (("amends_id",),)  # a record's corrections


class IdempotencyKey(Model):
    """A mutation's key and what it produced, so a retried call changes nothing."""

    id = fields.IntField(primary_key=True)
    account_id = fields.CharField(max_length=64)
    key = fields.CharField(max_length=200)
    operation = fields.CharField(max_length=64)
    # HMAC of the operation and its input (`domain.idempotency`): the same key with another
    # input is a conflict, not a retry. Null on rows written before digests were kept.
    digest = fields.CharField(max_length=64, null=True)
    # Empty while the request that claimed the key has not finished (or never will: a retry
    # of the same request then does the work again, idempotently, and fills it in).
    result_id = fields.CharField(max_length=64)
    # Random, written with the claim: what the ids of its request's rows are derived from
    # (`records.KeyClaim.seed`). Null on claims written before salts were kept.
    salt = fields.CharField(max_length=32, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "idempotency_key"
        unique_together = (("account_id", "key"),)


class ActiveJourneyClaim(Model):
    """At most one active journey per client besides those only making their after-care calls
    (`domain.store.claims`): a start claims the client before the workflow exists, so two desks
    registering the same arrival at once cannot open two journeys."""

    client_id = fields.CharField(primary_key=True, max_length=64)
    journey_id = fields.CharField(max_length=64)
    claimed_at = fields.DatetimeField()

    class Meta:
        table = "active_journey_claim"


class ActiveRecheckClaim(Model):
    """At most one recheck per client still to come in: a complication or a warranty claim
    claims the client before the recheck's workflow exists, so two claims sent at once open one
    recheck, and the second is served by it (`schema.aftercare.recheck`). It passes on once its
    recheck has treated (after-care) or ended."""

    client_id = fields.CharField(primary_key=True, max_length=64)
    journey_id = fields.CharField(max_length=64)
    claimed_at = fields.DatetimeField()

    class Meta:
        table = "active_recheck_claim"


class JourneyRecordVoid(AppendOnlyModel):
    """A draft the journey will never attach, as its workflow answered reconciliation.

    Drafts are never deleted: this row is what settles one for good (see `store.drafts`).
    """

    id = fields.IntField(primary_key=True)
    record: fields.OneToOneRelation[JourneyRecord] = fields.OneToOneField(
        "models.JourneyRecord", related_name="void", on_delete=fields.RESTRICT
    )
    record_id: str
    reason = fields.CharField(max_length=200)
    at = fields.DatetimeField()

    class Meta:
        table = "journey_record_void"


class JourneyStageCount(Model):
    """Active and stuck journeys of a clinic in one stage, for the supervisor's board.

    Kept by the projection in the transaction that writes the journey row (`store.stage_counts`),
    so the board reads one row per stage instead of counting every journey; reconciliation
    compares it with a count of the journey rows and repairs it.
    """

    id = fields.IntField(primary_key=True)
    clinic_id = fields.CharField(max_length=64)
    stage = fields.CharField(max_length=32)
    active = fields.IntField(default=0)
    stuck = fields.IntField(default=0)

    class Meta:
        table = "journey_stage_count"
        unique_together = (("clinic_id", "stage"),)


class StageStay(Model):
    """One finished stay in a stage, written with the event that left it.

    The board's "median stay today" reads the stays that ended since midnight through an index
    that holds every column it needs, however many journeys the clinic has.
    """

    id = fields.IntField(primary_key=True)
    clinic_id = fields.CharField(max_length=64)
    journey_id = fields.CharField(max_length=64)
    seq = fields.IntField()
    stage = fields.CharField(max_length=32)
    ended_at = fields.DatetimeField()
    seconds = fields.FloatField()

    class Meta:
        table = "stage_stay"
        unique_together = (("journey_id", "seq"),)
        indexes = (("clinic_id", "ended_at", "stage", "seconds"),)
