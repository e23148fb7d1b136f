"""The photo types the SPA reads: photos, links to their bytes, consents by purpose."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.photos.purposes import PhotoPurpose, PhotoStage
from domain.roles import Role
from domain.store.per_client import Window
from domain.store.photos import Photo as PhotoRow
from domain.store.photos import PhotoConsentChange as ChangeRow
from schema.context import Context
from schema.errors import NotAuthorized
from schema.ids import encode_id
from schema.input_check import check_list_page
from schema.pagination import client_rows_after
from schema.recorded_role import recorded_role
from schema.staff.types import StaffMember, staff_member

PHOTO_ID_TYPE = "Photo"
CHANGE_ID_TYPE = "PhotoConsentChange"
CHANGES_PAGE = 100
MAX_CHANGES_PAGE = 500

# The domain enums, registered with Strawberry under the same names (as in `schema.enums`).
strawberry.enum(
    PhotoPurpose,
    name="PhotoPurpose",
    description="What a photo may be used for; each purpose needs its own consent.",
)
strawberry.enum(
    PhotoStage,
    name="PhotoStage",
    description="When in the course of care a photo was taken.",
)


@strawberry.type(description="A short-lived link to a photo's bytes, for one purpose and viewer.")
class PhotoLink:
    url: str = strawberry.field(
        description="Path on this API's origin (`/photos/<token>`); GET it, no header needed. "
        "A bearer URL: anyone holding it can fetch the photo (audited as you) until `expiresAt`, "
        "while the client consents to the purpose, your role may see it and the session you "
        "asked with is not signed out. Do not share, store or log it."
    )
    purpose: PhotoPurpose = strawberry.field(description="The purpose it was issued for.")
    expires_at: datetime = strawberry.field(description="When it stops working, in UTC.")


PhotoLinkResult = Annotated[
    PhotoLink | NotAuthorized,
    strawberry.union(
        "PhotoLinkResult",
        description="The link, or NotAuthorized: your role may not see photos for this "
        "purpose, or the client has not consented to it.",
    ),
]


@strawberry.type(description="One photo of a client: when and where it was taken, by whom.")
class Photo:
    id: strawberry.ID = strawberry.field(description="Global id of the photo.")
    journey_id: strawberry.ID = strawberry.field(description="The journey it belongs to.")
    stage: PhotoStage = strawberry.field(description="When in the course of care.")
    body_area: str = strawberry.field(description="The body area photographed.")
    content_type: str = strawberry.field(description="The type found in the bytes (MIME).")
    size_bytes: int = strawberry.field(description="Size of the stored image.")
    sha256: str = strawberry.field(description="SHA-256 (hex) of the stored image.")
    taken_by_id: str = strawberry.field(description="Raw account id of who took it.")
    stored_taken_by_role: strawberry.Private[str]
    uploaded_at: datetime = strawberry.field(description="When it was uploaded, in UTC.")
    uploaded_at_local: str = strawberry.field(
        description="When, in the clinic's time, 24-hour clock."
    )
    row: strawberry.Private[PhotoRow]

    @strawberry.field(description="A short-lived link to the image, for one purpose.")
    async def link(
        self,
        info: Info[Context, None],
        purpose: Annotated[
            PhotoPurpose, strawberry.argument(description="What you will use the photo for.")
        ],
    ) -> PhotoLinkResult:
        from schema.photos.links import issue_link  # (it builds on this module: imported late)

        return await issue_link(info, self.row, purpose)

    @strawberry.field(
        description="Who took it, with the name colleagues see; null if the account is gone."
    )
    async def taken_by(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.taken_by_id)

    @strawberry.field(description="Their role when they uploaded it.")
    def taken_by_role(self) -> Role:
        return recorded_role(self.stored_taken_by_role)

    @classmethod
    def from_row(cls, row: PhotoRow, local: str) -> Photo:
        return cls(
            id=strawberry.ID(encode_id(PHOTO_ID_TYPE, row.id)),
            journey_id=strawberry.ID(encode_id("Journey", row.journey_id)),
            stage=PhotoStage(row.stage),
            body_area=row.body_area,
            content_type=row.content_type,
            size_bytes=row.size_bytes,
            sha256=row.sha256,
            taken_by_id=row.taken_by,
            stored_taken_by_role=row.taken_by_role,
            uploaded_at=row.uploaded_at,
            uploaded_at_local=local,
            row=row,
        )


@strawberry.type(description="One purpose given or withdrawn; the latest change decides.")
class PhotoConsentChange:
    id: strawberry.ID = strawberry.field(description="Global id of the change.")
    purpose: PhotoPurpose = strawberry.field(description="The purpose.")
    given: bool = strawberry.field(description="True: given; false: withdrawn.")
    signature_id: strawberry.ID | None = strawberry.field(
        description="The signed PHOTO consent that gave it; null: recorded by `setPhotoConsent`."
    )
    recorded_by_id: str = strawberry.field(description="Raw account id of who recorded it.")
    stored_recorded_by_role: strawberry.Private[str]
    recorded_at: datetime = strawberry.field(description="When, in UTC.")

    @strawberry.field(
        description="Who recorded it, with the name colleagues see; null if the account is gone."
    )
    async def recorded_by(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.recorded_by_id)

    @strawberry.field(description="Their role then.")
    def recorded_by_role(self) -> Role:
        return recorded_role(self.stored_recorded_by_role)

    @classmethod
    def from_row(cls, row: ChangeRow) -> PhotoConsentChange:
        signature = encode_id("ConsentSignature", row.signature_id) if row.signature_id else None
        return cls(
            id=strawberry.ID(encode_id(CHANGE_ID_TYPE, row.id)),
            purpose=PhotoPurpose(row.purpose),
            given=row.given,
            signature_id=strawberry.ID(signature) if signature else None,
            recorded_by_id=row.recorded_by,
            stored_recorded_by_role=row.recorded_by_role,
            recorded_at=row.recorded_at,
        )


@strawberry.type(description="What the client's photos may be used for, and how that came to be.")
class PhotoConsents:
    client_id: strawberry.Private[str]
    in_force: list[PhotoPurpose] = strawberry.field(
        description="The purposes consented to now, in the enum's order."
    )

    @strawberry.field(
        description="The changes, oldest first: signatures and `setPhotoConsent` calls; those "
        "after the change `after` names, at most `first` of them. A page of `first` may have "
        "more after it: ask again with the last one's `id` as `after`."
    )
    async def changes(
        self,
        info: Info[Context, None],
        first: Annotated[
            int, strawberry.argument(description=f"How many, 1 to {MAX_CHANGES_PAGE}.")
        ] = CHANGES_PAGE,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The `id` of the last change already read."),
        ] = None,
    ) -> list[PhotoConsentChange]:
        # Bounded: every withdrawal and renewal of a purpose stays in the history.
        check_list_page(first, MAX_CHANGES_PAGE)
        if after is None:
            window = Window(skip=0, take=first)
            found = await info.context.loaders.client_lists.photo_consent_changes.load(
                (self.client_id, window)
            )
            return [PhotoConsentChange.from_row(row) for _position, row in found]
        rows = await client_rows_after(
            ChangeRow, "recorded_at", self.client_id, after, CHANGE_ID_TYPE, first
        )
        return [PhotoConsentChange.from_row(row) for row in rows]
