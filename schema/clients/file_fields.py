"""The client file's parts as fields of `Client`: each read leaves its audit entry.

Every part is a connection, oldest entry first, corrections and error marks included (the
file hides nothing). `pregnancyStatus` is the one statement that stands now; every statement,
corrected or not, is in `pregnancyStatements`. Who reads which part is the permission table's
rows for these fields (clinical parts: clinicians; the service card: the clinic's staff).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import strawberry
from strawberry.types import Info

from domain.client_file.kinds import IDENTITY_HISTORY_READ, READ_CODES, EntryKind
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store.client_file import ClientIdentityAmendment
from domain.store.models import Client as ClientRow
from domain.store.per_client import Window
from schema.audit.collector import note_access
from schema.clients.file_access import zone_of
from schema.clients.file_reads import current_pregnancy_status, entries_page, views
from schema.clients.file_types import (
    AllergyEntry,
    Connection,
    Edge,
    MedicalHistoryEntry,
    MedicationEntry,
    PostOpObservationEntry,
    PregnancyStatusEntry,
    ServiceCardEntry,
    WardRoundEntry,
    local_time,
)
from schema.context import Context
from schema.errors import ValidationFailed, from_domain
from schema.input_check import check_list_page
from schema.pagination import cursor_for, page_problems
from schema.staff.types import StaffMember, staff_member

PAGE = 20
VERSIONS_PAGE = 100
MAX_VERSIONS_PAGE = 500
FIRST = "How many entries, 1 to 100."
AFTER = "The cursor of the last entry already read."

MedicalHistoryResult = Annotated[
    Connection[MedicalHistoryEntry] | ValidationFailed,
    strawberry.union("MedicalHistoryResult", description="The entries, or a bad page request."),
]
AllergiesResult = Annotated[
    Connection[AllergyEntry] | ValidationFailed,
    strawberry.union("AllergiesResult", description="The entries, or a bad page request."),
]
MedicationsResult = Annotated[
    Connection[MedicationEntry] | ValidationFailed,
    strawberry.union("MedicationsResult", description="The entries, or a bad page request."),
]
PregnancyStatementsResult = Annotated[
    Connection[PregnancyStatusEntry] | ValidationFailed,
    strawberry.union(
        "PregnancyStatementsResult", description="The entries, or a bad page request."
    ),
]
PostOpObservationsResult = Annotated[
    Connection[PostOpObservationEntry] | ValidationFailed,
    strawberry.union("PostOpObservationsResult", description="The entries, or a bad page request."),
]
WardRoundsResult = Annotated[
    Connection[WardRoundEntry] | ValidationFailed,
    strawberry.union("WardRoundsResult", description="The entries, or a bad page request."),
]
ServiceCardResult = Annotated[
    Connection[ServiceCardEntry] | ValidationFailed,
    strawberry.union("ServiceCardResult", description="The entries, or a bad page request."),
]


@strawberry.type(
    description="The identity page as it stood from one moment: registered or amended."
)
class IdentityVersion:
    version: int = strawberry.field(
        description="1: as registered; 2, 3...: after each amendment, in order."
    )
    full_name: str = strawberry.field(description="The name from then on.")
    phone: str | None = strawberry.field(description="The phone from then on.")
    email: str | None = strawberry.field(description="The e-mail from then on.")
    reason: str | None = strawberry.field(description="Why it was amended; null: as registered.")
    author_id: str = strawberry.field(description="Raw account id of who registered or amended.")
    at: datetime = strawberry.field(description="When, in UTC.")
    at_local: str = strawberry.field(description="When, in the clinic's time, 24-hour clock.")

    @strawberry.field(
        description="Who registered or amended (`authorId`), with the name colleagues see; null if"
        " the account is gone."
    )
    async def author(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.author_id)

    @classmethod
    def of(
        cls,
        version: int,
        page: ClientRow | ClientIdentityAmendment,
        reason: str | None,
        author_id: str,
        at: datetime,
        zone: ZoneInfo,
    ) -> IdentityVersion:
        """The identity `page` (the client's row as registered, or an amendment) as version
        `version`."""
        return cls(
            version=version,
            full_name=page.full_name,
            phone=page.phone,
            email=page.email,
            reason=reason,
            author_id=author_id,
            at=at,
            at_local=local_time(at, zone),
        )


async def _part(
    info: Info[Context, None], row: ClientRow, kind: EntryKind, first: int, after: str | None
) -> Any:
    problems = page_problems(first, after)
    if problems:
        return from_domain(DomainValidationFailed(problems))
    note_access(row.id, READ_CODES[kind])
    entries, page_info = await entries_page(info, row.id, kind, first, after)
    nodes = await views(info, entries, await zone_of(info, row.clinic_id))
    pairs = zip(entries, nodes, strict=True)
    edges = [Edge(cursor=cursor_for(e, "recorded_at"), node=n) for e, n in pairs]
    return Connection(edges=edges, page_info=page_info)


@strawberry.type
class ClientFileFields:
    """The parts of the file (not a GraphQL type of its own: `Client` has these fields)."""

    row: strawberry.Private[ClientRow]

    @strawberry.field(
        description="Medical and cosmetic history, lifestyle, skin care, state "
        "of mind and aesthetic wishes; oldest first."
    )
    async def medical_history(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description=FIRST)] = PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> MedicalHistoryResult | None:
        return await _part(info, self.row, EntryKind.MEDICAL_HISTORY, first, after)  # type: ignore[no-any-return]

    @strawberry.field(description="Allergies; oldest first.")
    async def allergies(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description=FIRST)] = PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> AllergiesResult | None:
        return await _part(info, self.row, EntryKind.ALLERGY, first, after)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Medications she takes or has taken (a stopped one gives its `stoppedOn`); "
        "oldest first."
    )
    async def medications(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description=FIRST)] = PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> MedicationsResult | None:
        return await _part(info, self.row, EntryKind.MEDICATION, first, after)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Pregnancy and lactation as they stand: the statement in "
        "force with the latest stated date; null when none was recorded."
    )
    async def pregnancy_status(self, info: Info[Context, None]) -> PregnancyStatusEntry | None:
        note_access(self.row.id, READ_CODES[EntryKind.PREGNANCY_STATUS])
        zone = await zone_of(info, self.row.clinic_id)
        return await current_pregnancy_status(info, self.row.id, zone)  # type: ignore[no-any-return]

    @strawberry.field(description="Every pregnancy and lactation statement; oldest first.")
    async def pregnancy_statements(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description=FIRST)] = PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> PregnancyStatementsResult | None:
        return await _part(info, self.row, EntryKind.PREGNANCY_STATUS, first, after)  # type: ignore[no-any-return]

    @strawberry.field(
        description="The service card: how to look after this client; it never "
        "leaves the clinic. Oldest first."
    )
    async def service_card(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description=FIRST)] = PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> ServiceCardResult | None:
        return await _part(info, self.row, EntryKind.SERVICE_CARD, first, after)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Observations in the ward after her operations (`recordPostOpObservation`), "
        "each naming its surgery journey; oldest written first."
    )
    async def post_op_observations(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description=FIRST)] = PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> PostOpObservationsResult | None:
        return await _part(info, self.row, EntryKind.POST_OP_OBSERVATION, first, after)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Ward rounds on the days after her operations (`recordWardRound`), each "
        "naming its surgery journey; oldest written first."
    )
    async def ward_rounds(
        self,
        info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description=FIRST)] = PAGE,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> WardRoundsResult | None:
        return await _part(info, self.row, EntryKind.WARD_ROUND, first, after)  # type: ignore[no-any-return]

    @strawberry.field(
        description="The identity page as registered (version 1), then after each amendment, "
        "from the version after `afterVersion`, at most `first` of them. A page of `first` "
        "versions may have more after it: ask again with the last one's `version` as "
        "`afterVersion`."
    )
    async def identity_history(
        self,
        info: Info[Context, None],
        after_version: Annotated[
            int, strawberry.argument(description="Versions after this one; 0: from the first.")
        ] = 0,
        first: Annotated[
            int, strawberry.argument(description=f"How many, 1 to {MAX_VERSIONS_PAGE}.")
        ] = VERSIONS_PAGE,
    ) -> list[IdentityVersion] | None:
        # Bounded: amendments accumulate for as long as the clinic keeps the client.
        check_list_page(first, MAX_VERSIONS_PAGE, afterVersion=after_version)
        note_access(self.row.id, IDENTITY_HISTORY_READ)
        zone = await zone_of(info, self.row.clinic_id)
        row = self.row
        versions = []
        if after_version == 0:
            versions.append(
                IdentityVersion.of(1, row, None, row.registered_by, row.created_at, zone)
            )
        # Amendments are append-only, so the n-th in order stays the n-th: version n + 1.
        window = Window(skip=max(after_version - 1, 0), take=first - len(versions))
        lists = info.context.loaders.client_lists
        amendments = await lists.identity_amendments.load((row.id, window)) if window.take else []
        return versions + [
            IdentityVersion.of(n + 1, a, a.reason, a.author_id, a.amended_at, zone)
            for n, a in amendments
        ]
