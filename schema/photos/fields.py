"""`Client.photos` and `Client.photoConsents`: each read leaves its audit entry."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain.errors import ValidationFailed as DomainValidationFailed
from domain.photos.purposes import PhotoPurpose, purposes_in_force
from domain.store.models import Client as ClientRow
from domain.store.photos import Photo as PhotoRow
from domain.store.photos import as_change
from schema.audit.collector import note_access
from schema.clients.file_access import zone_of
from schema.clients.file_types import Connection, Edge, local_time
from schema.context import Context
from schema.errors import ValidationFailed, from_domain
from schema.pagination import cursor_for, keyset_page, page_problems
from schema.photos.types import Photo, PhotoConsents

PHOTOS_READ = "client.photos.read"
PHOTO_CONSENTS_READ = "client.photo_consents.read"

PhotosResult = Annotated[
    Connection[Photo] | ValidationFailed,
    strawberry.union("PhotosResult", description="The photos, or a bad page request."),
]


async def purposes_now(info: Info[Context, None], client_id: str) -> frozenset[PhotoPurpose]:
    """The purposes the client consents to now, read once per client and request: a page of
    100 photos with their links asks once."""
    latest = await info.context.loaders.client_lists.photo_consents_now.load(client_id)
    return purposes_in_force(as_change(row) for row in latest)


async def consents_of(info: Info[Context, None], client_id: str) -> PhotoConsents:
    given = await purposes_now(info, client_id)
    return PhotoConsents(
        client_id=client_id, in_force=[purpose for purpose in PhotoPurpose if purpose in given]
    )


async def photo_view(info: Info[Context, None], row: PhotoRow) -> Photo:
    zone = await zone_of(info, row.clinic_id)
    return Photo.from_row(row, local_time(row.uploaded_at, zone))


@strawberry.type
class ClientPhotoFields:
    """The client's photos (not a GraphQL type of its own: `Client` has these fields)."""

    row: strawberry.Private[ClientRow]

    @strawberry.field(
        description="Photos of the client, oldest first; the images through `Photo.link`."
    )
    async def photos(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description="How many, 1 to 100.")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="The cursor of the last photo read.")
        ] = None,
    ) -> PhotosResult | None:
        problems = page_problems(first, after)
        if problems:
            return from_domain(DomainValidationFailed(problems))  # type: ignore[return-value]
        note_access(self.row.id, PHOTOS_READ)
        query = PhotoRow.filter(client_id=self.row.id)
        rows, page_info = await keyset_page(query, "uploaded_at", first, after, newest_first=False)
        zone = await zone_of(info, self.row.clinic_id)
        edges: list[Any] = [
            Edge(
                cursor=cursor_for(row, "uploaded_at"),
                node=Photo.from_row(row, local_time(row.uploaded_at, zone)),
            )
            for row in rows
        ]
        return Connection(edges=edges, page_info=page_info)

    @strawberry.field(description="What the client's photos may be used for, with the history.")
    async def photo_consents(self, info: Info[Context, None]) -> PhotoConsents | None:
        note_access(self.row.id, PHOTO_CONSENTS_READ)
        return await consents_of(info, self.row.id)
