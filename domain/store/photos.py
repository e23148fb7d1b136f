"""Photos and photo consents by purpose: all append-only.

A photo row says where its bytes are (the store key), what they are (the sniffed type, size,
sha256), whose they are and when and by whom they were taken. Photo consents are a history of
changes, one row per purpose given or withdrawn: the latest row of a purpose decides it. A
signed PHOTO consent also keeps a grant: the purposes it gave, which its withdrawal ends.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise import fields
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from domain.photos.purposes import ConsentChange, PhotoPurpose, purposes_in_force
from domain.store.models import AppendOnlyModel, Client
from domain.store.per_client import Window, windows_of


class Photo(AppendOnlyModel):
    """One uploaded photo: its tags, its author and where its bytes are stored."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="photos", on_delete=fields.RESTRICT
    )
    client_id: str
    journey_id = fields.CharField(max_length=64)
    stage = fields.CharField(max_length=32)
    body_area = fields.CharField(max_length=100)
    content_type = fields.CharField(max_length=32)
    size_bytes = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    storage_key = fields.CharField(max_length=128)
    taken_by = fields.CharField(max_length=64)
    taken_by_role = fields.CharField(max_length=32)
    uploaded_at = fields.DatetimeField()

    class Meta:
        table = "photo"
        indexes = (("client_id", "uploaded_at"), ("journey_id",))


class PhotoConsentChange(AppendOnlyModel):
    """One purpose given or withdrawn by a client, with the signature that gave it, if any."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="photo_consent_changes", on_delete=fields.RESTRICT
    )
    client_id: str
    purpose = fields.CharField(max_length=32)
    given = fields.BooleanField()
    signature_id = fields.CharField(max_length=64, null=True)
    recorded_by = fields.CharField(max_length=64)
    recorded_by_role = fields.CharField(max_length=32)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "photo_consent_change"
        indexes = (("client_id", "recorded_at"),)


class PhotoConsentGrant(AppendOnlyModel):
    """The purposes one signed PHOTO consent gave, each with the change that gave it: what
    withdrawing that consent takes back. Written with those changes, on paper forms too, which
    leave no signature row to name them."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="photo_consent_grants", on_delete=fields.RESTRICT
    )
    client_id: str
    journey_id = fields.CharField(max_length=64)
    signature_id = fields.CharField(max_length=64, null=True)  # signed on a published template
    # Each purpose given (its value) -> the id of the `PhotoConsentChange` that gave it.
    changes: Any = fields.JSONField()
    granted_by = fields.CharField(max_length=64)
    granted_at = fields.DatetimeField()

    class Meta:
        table = "photo_consent_grant"
        indexes = (("journey_id", "granted_at"),)


def as_change(row: PhotoConsentChange) -> ConsentChange:
    return ConsentChange(PhotoPurpose(row.purpose), row.given, row.recorded_at, row.id)


# Each purpose's latest change decides it (`purposes_in_force`).
LATEST_OF_EACH_PURPOSE = Window(skip=0, take=1, newest_first=True, partition=("purpose",))


async def latest_changes(client_ids: list[str]) -> list[list[PhotoConsentChange]]:
    """For each client, the latest change of each purpose: what decides its consents now, read
    without the rest of the history (one query for every client)."""
    keys = [(client_id, LATEST_OF_EACH_PURPOSE) for client_id in client_ids]
    found = await windows_of(PhotoConsentChange, "recorded_at", keys)
    return [[row for _position, row in rows] for rows in found]


async def purposes_given(client_id: str) -> frozenset[PhotoPurpose]:
    """The purposes the client consents to now."""
    (latest,) = await latest_changes([client_id])
    return purposes_in_force(as_change(row) for row in latest)


async def withdrew_given(change: PhotoConsentChange) -> bool:
    """Whether `change` took back a consent the client had given: a withdrawal whose purpose's
    change before it (in the order `latest_changes` reads them) gave it. A withdrawal of a
    purpose never given, or one already withdrawn, took back nothing."""
    if change.given:
        return False
    earlier = PhotoConsentChange.filter(client_id=change.client_id).filter(
        Q(recorded_at__lt=change.recorded_at) | Q(recorded_at=change.recorded_at, id__lt=change.id)
    )
    before = await _latest_of(earlier, PhotoPurpose(change.purpose))
    return before is not None and before.given


async def taken_back(client_id: str, purpose: PhotoPurpose) -> PhotoConsentChange | None:
    """The withdrawal that took back the client's consent to `purpose`, while it stands: she
    gave it once and has withdrawn it since. None: she consents now, or never gave it."""
    changes = PhotoConsentChange.filter(client_id=client_id, purpose=purpose.value)
    gave = await changes.filter(given=True).order_by("-recorded_at", "-id").first()
    if gave is None:
        return None
    since = changes.filter(
        Q(recorded_at__gt=gave.recorded_at) | Q(recorded_at=gave.recorded_at, id__gt=gave.id)
    )
    return await since.order_by("recorded_at", "id").first()


async def change_unless_standing(
    change_id: str,
    client_id: str,
    purpose: PhotoPurpose,
    given: bool,
    *,
    asked_at: datetime | None = None,
    **values: object,
) -> PhotoConsentChange:
    """The change that makes `purpose` stand as `given`: the one its request's earlier attempt
    answered (`answered_change`; `asked_at`: when the request was first asked, for a retry),
    else the purpose's latest change when it already says so (asked again, a purpose already
    given or withdrawn is answered with the change that made it so: 3,000 identical calls made
    3,000 rows), else a new one.

    The check and the write hold the client's lock together (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite's transactions begin IMMEDIATE, one writer at a time, `store.compat`):
    checked apart, the same consent sent six times at once found nothing given six times and
    wrote six changes."""
    async with in_transaction() as connection:
        await Client.filter(id=client_id).select_for_update().using_db(connection).first()
        changes = PhotoConsentChange.filter(client_id=client_id).using_db(connection)
        earlier = await _answered(changes, change_id, purpose, given, asked_at)
        if earlier is not None:
            return earlier
        latest = await _latest_of(changes, purpose)
        if latest is not None and latest.given == given:
            return latest
        return await PhotoConsentChange.create(
            using_db=connection,
            id=change_id,
            client_id=client_id,
            purpose=purpose.value,
            given=given,
            recorded_at=datetime.now(UTC),
            **values,
        )


async def answered_change(
    change_id: str, client_id: str, purpose: PhotoPurpose, given: bool, asked_at: datetime
) -> PhotoConsentChange | None:
    """The change an earlier attempt of a request first asked at `asked_at` answered, its
    answer lost: the one it wrote under `change_id`, else the purpose's change standing when
    it was asked, when that already said `given` (the attempt wrote nothing and answered it;
    one that died before looking would have found it too). None: it did not go through."""
    changes = PhotoConsentChange.filter(client_id=client_id)
    return await _answered(changes, change_id, purpose, given, asked_at)


async def _answered(
    changes: QuerySet[PhotoConsentChange],
    change_id: str,
    purpose: PhotoPurpose,
    given: bool,
    asked_at: datetime | None,
) -> PhotoConsentChange | None:
    # What stood when the request was asked, not the latest: a retry after a withdrawal since
    # gives nothing anew (on a minor's word alone, after the guardian's rule, it could not).
    earlier = await changes.filter(id=change_id).first()
    if earlier is not None or asked_at is None:
        return earlier
    standing = await _latest_of(changes.filter(recorded_at__lte=asked_at), purpose)
    return standing if standing is not None and standing.given == given else None


async def _latest_of(
    changes: QuerySet[PhotoConsentChange], purpose: PhotoPurpose
) -> PhotoConsentChange | None:
    """The purpose's latest change among `changes`, in the order `latest_changes` reads it."""
    return await changes.filter(purpose=purpose.value).order_by("-recorded_at", "-id").first()
