"""`uploadPhoto`: a photo of a client, sent as a GraphQL multipart upload.

The type is found in the bytes (JPEG, PNG or HEIC), never taken from what the client says;
the size is bounded by the settings. The client must consent to photos for their clinical
record (`domain.photos.purposes.taking_refusal`). Everything is checked before anything is
written: a refused upload leaves no file and no row. The bytes are stored first, under the
photo's id, then the row; if the row cannot be written the bytes are discarded again. The
idempotency key stands for the input with the SHA-256 of the file as sent in place of the file;
what is stored is the file with its metadata taken out (`domain.photos.intake`), whose size
and hash the photo shows.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.photos.intake import prepared_image
from domain.photos.purposes import PhotoStage as DomainPhotoStage
from domain.photos.purposes import taking_refusal
from domain.photos.sniff import ImageType, sniff_image
from domain.photos.storage import PhotoStore
from domain.store import records
from domain.store.photo_tasks import settle_photo_tasks
from domain.store.photos import Photo as PhotoRow
from domain.store.photos import purposes_given
from domain.store.records import KeyClaim
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.file_access import visible_client
from schema.clients.file_mutations import invalid
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    ValidationFailed,
    not_authorized,
    not_found,
)
from schema.journeys.actions import load_visible_journey
from schema.photos.fields import photo_view
from schema.photos.types import Photo, PhotoStage
from schema.text import check_text

INPUT = "What to do; see the input type."


@strawberry.input(description="A photo and its tags; send it as a multipart request.")
class UploadPhotoInput:
    client_id: strawberry.ID = strawberry.field(
        description="The client photographed, who consents to photos for CLINICAL_RECORD."
    )
    journey_id: strawberry.ID = strawberry.field(description="The client's journey it belongs to.")
    stage: PhotoStage = strawberry.field(description="When in the course of care.")
    body_area: str = strawberry.field(description="The area photographed (at most 100 characters).")
    file: Upload = strawberry.field(
        description="The image (JPEG, PNG or HEIC; the type is read from the bytes), as a "
        "file part of a multipart request (graphql-multipart-request spec). At most 16,384 "
        "pixels a side and 100 megapixels. Stored without its metadata (EXIF but the "
        "orientation, GPS, XMP, comments, PNG text), the pixels as sent."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The photo as stored (or as the first attempt stored it).")
class PhotoPayload:
    photo: Photo = strawberry.field(description="The photo.")


UploadPhotoResult = Annotated[
    PhotoPayload | NotAuthorized | ValidationFailed | NotFound | Conflict,
    strawberry.union("UploadPhotoResult", description="The photo stored, or why not."),
]


@dataclasses.dataclass(frozen=True)
class ReadUpload:
    """An upload as read: the bytes to store (metadata taken out) and the hash of the bytes as
    sent, which the idempotency key stands for (a retry sends the same bytes)."""

    data: bytes = b""
    sent_sha256: str = ""
    image_type: ImageType | None = None
    problems: tuple[FieldProblem, ...] = ()


def read_upload(file: Any, limit: int) -> ReadUpload:
    """The image within `limit`, its type, its size checked and its metadata stripped, or the
    problems that refuse it. Walking a large file's build takes CPU (up to a second for 10 MiB
    made of the smallest pieces): the caller runs this off the event loop."""
    if not hasattr(file, "read"):
        problem = FieldProblem(
            "file", "send the image as a file part of a multipart request", Code.REQUIRED
        )
        return ReadUpload(problems=(problem,))
    data = file.read(limit + 1)
    if getattr(file, "oversized", False) or len(data) > limit:
        return ReadUpload(
            problems=(
                FieldProblem("file", f"the image is larger than {limit:,} bytes", Code.TOO_LONG),
            )
        )
    image_type = sniff_image(data)
    if image_type is None:
        return ReadUpload(
            problems=(FieldProblem("file", "not a JPEG, PNG or HEIC image", Code.BAD_FORMAT),)
        )
    stored, refusal = prepared_image(data, image_type)
    if refusal is not None:
        return ReadUpload(problems=(FieldProblem("file", refusal, Code.INVALID),))
    return ReadUpload(stored, hashlib.sha256(data).hexdigest(), image_type)


def digest_input(input: UploadPhotoInput, sha256: str) -> SimpleNamespace:
    """What the key stands for: the input, with the file's hash instead of the file."""
    fields = {f.name: getattr(input, f.name) for f in dataclasses.fields(input)}
    fields["file"] = sha256
    return SimpleNamespace(**fields)


async def store_photo(
    store: PhotoStore, photo_id: str, data: bytes, *, shared: bool, **values: Any
) -> PhotoRow:
    """The bytes, then their row. A failed attempt removes the bytes no row names. `shared`:
    the id comes from the idempotency key, so attempts of one request racing each other write
    the same bytes under it and one row names them: the bytes stay if another attempt's row
    names them (a failed attempt deleted the photo its twin had stored)."""
    await store.put(photo_id, data)
    try:
        return await PhotoRow.create(id=photo_id, storage_key=photo_id, **values)
    except IntegrityError:
        existing = await PhotoRow.get_or_none(id=photo_id)
        if existing is not None:
            return existing  # this request's earlier attempt wrote it
        await store.discard(photo_id)
        raise
    except BaseException:
        if not shared or not await PhotoRow.exists(id=photo_id):
            await store.discard(photo_id)
        raise


async def upload_photo(
    info: Info[Context, None],
    input: Annotated[UploadPhotoInput, strawberry.argument(description=INPUT)],
) -> UploadPhotoResult:
    claims = info.context.claims
    store = info.context.config.photo_store
    if claims is None:
        return not_authorized()
    client = await visible_client(info, input.client_id)
    if client is None:  # (asked before the file is read: the key stands for its hash)
        unknown = not_found("client")
        return await idempotency.refusal_or_conflict_by_key(info, claims.account_id, input, unknown)
    problems: list[FieldProblem] = []
    refusal = taking_refusal(await purposes_given(client.id))
    consent = [FieldProblem("clientId", refusal, Code.NOT_ALLOWED_NOW)] if refusal else []
    journey = await load_visible_journey(info, input.journey_id)
    if journey is None or journey.client_id != client.id:
        problems.append(
            FieldProblem("journeyId", "not a journey of this client", Code.INCONSISTENT)
        )
    problems += check_text("bodyArea", input.body_area, required=True, limit=100)
    limit = info.context.config.photo_max_bytes
    upload = await asyncio.to_thread(read_upload, input.file, limit)
    problems += upload.problems
    data, image_type = upload.data, upload.image_type
    bad_key = records.key_problem(input.idempotency_key)
    if store is None:
        problems.append(FieldProblem("file", "this server stores no photos", Code.INVALID))
    if problems or bad_key or store is None or image_type is None:
        refused_now = invalid([*consent, *problems, *([bad_key] if bad_key else [])])
        return await _shape_refusal(info, claims.account_id, input, upload, refused_now)
    keyed = digest_input(input, upload.sent_sha256)
    refused = await refused_unless_taken(
        info, claims.account_id, keyed, invalid(consent) if consent else None
    )
    if refused is not None:
        return refused
    ledger = await idempotency.claim(info, claims.account_id, keyed)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    if first is not None:
        note_write(info, client.id)  # the retry answers the photo again: read again
        return PhotoPayload(photo=await photo_view(info, await PhotoRow.get(id=first)))
    derived_id = idempotency.derived_id(ledger, "photo")
    photo_id = derived_id or str(uuid.uuid4())
    row = await store_photo(
        store,
        photo_id,
        data,
        shared=derived_id is not None,
        clinic_id=client.clinic_id,
        client_id=client.id,
        journey_id=input_journey_id(journey),
        stage=DomainPhotoStage(input.stage).value,
        body_area=input.body_area.strip(),
        content_type=image_type.value,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        taken_by=claims.account_id,
        taken_by_role=claims.role.value,
        uploaded_at=datetime.now(UTC),
    )
    await settle_photo_tasks(row.journey_id)  # the photo schedule's reminder of its stage
    note_write(info, client.id)
    await idempotency.settle(claims.account_id, keyed, row.id)
    return PhotoPayload(photo=await photo_view(info, row))


async def refused_unless_taken(
    info: Info[Context, None],
    account_id: str,
    keyed: SimpleNamespace,
    refusal: ValidationFailed | None,
) -> ValidationFailed | Conflict | None:
    """`idempotency.refusal_answer` for an upload: None (go on) when this very upload was
    answered before, or stored with only its answer lost, so a retry is answered as the first
    time though the consent was withdrawn since, or the photo was taken before uploads
    needed it."""

    async def stored(earlier: KeyClaim) -> bool:
        derived = idempotency.derived_id(earlier, "photo")
        return derived is not None and await PhotoRow.exists(id=derived)

    return await idempotency.refusal_answer(info, account_id, keyed, refusal, went_through=stored)


async def _shape_refusal(
    info: Info[Context, None],
    account_id: str,
    input: UploadPhotoInput,
    upload: ReadUpload,
    refusal: ValidationFailed,
) -> ValidationFailed | Conflict:
    """An upload its checks refuse: a `Conflict` when its key stands for another request, told
    by the file's hash when the file was read, else by the key being claimed at all (no
    attempt of an upload whose file is refused could have claimed it)."""
    if records.key_problem(input.idempotency_key) is not None:
        return refusal  # a malformed key was never claimed
    if upload.sent_sha256:
        keyed = digest_input(input, upload.sent_sha256)
        return await idempotency.refusal_or_conflict(info, account_id, keyed, refusal)
    return await idempotency.refusal_or_conflict_by_key(info, account_id, input, refusal)


def input_journey_id(journey: Any) -> str:
    assert journey is not None  # refused above otherwise
    return str(journey.id)
