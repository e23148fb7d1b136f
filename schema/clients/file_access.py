"""Finding a client or an entry the caller may see, and deciding who may correct an entry.

A client is seen only by its own clinic's staff. A clinical entry (history, allergy,
medication, pregnancy) is seen only by roles that read the clinical parts: to anyone else it
does not exist. An entry is corrected by its author or by a supervisor, and its author must
still hold a role that records that part; a medication's stop, also by anyone who records
medications (`medication_stops`).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from strawberry.types import Info

from domain.auth import TokenClaims
from domain.client_file.checks import Dates
from domain.client_file.kinds import RECORDING_MUTATION, EntryKind
from domain.client_file.matching import clinic_country
from domain.permissions import MUTATIONS, TYPES
from domain.roles import Role
from domain.store.client_file import ClientEntry
from domain.store.models import Client as ClientRow
from schema.clients.file_types import ENTRY_ID_TYPE
from schema.context import Context
from schema.ids import decode_id


async def visible_client(info: Info[Context, None], global_id: str) -> ClientRow | None:
    claims = info.context.claims
    raw_id = decode_id(global_id, "Client")
    if claims is None or raw_id is None:
        return None
    return await ClientRow.get_or_none(id=raw_id, clinic_id=claims.clinic_id)


async def zone_of(info: Info[Context, None], clinic_id: str) -> ZoneInfo:
    return await info.context.loaders.zone.load(clinic_id)


async def clinic_today(info: Info[Context, None], clinic_id: str) -> date:
    """Today in the clinic's calendar: its days (a client's birthday, a price list's first day,
    an installment's due day) begin at its midnight, not at UTC's."""
    return datetime.now(await zone_of(info, clinic_id)).date()


async def country_of(info: Info[Context, None], clinic_id: str) -> str | None:
    """The country the clinic dials from, which a phone number without its country code is read
    in when clients are matched (`domain.client_file.matching`)."""
    return clinic_country((await zone_of(info, clinic_id)).key)


async def file_dates(info: Info[Context, None], client: ClientRow) -> Dates:
    """Any date in the file lies between the client's birth and the clinic's today."""
    zone = await zone_of(info, client.clinic_id)
    return Dates(birth=client.birth_date, today=datetime.now(zone).date())


def reads_kind(role: Role | None, kind: EntryKind) -> bool:
    """Whether `role` reads entries of `kind` (the rows of the part's `Client` field)."""
    field = {
        EntryKind.MEDICAL_HISTORY: "medicalHistory",
        EntryKind.ALLERGY: "allergies",
        EntryKind.MEDICATION: "medications",
        EntryKind.PREGNANCY_STATUS: "pregnancyStatements",
        EntryKind.SERVICE_CARD: "serviceCard",
        EntryKind.POST_OP_OBSERVATION: "postOpObservations",
        EntryKind.WARD_ROUND: "wardRounds",
        EntryKind.DATA_CONSENT: "dataConsentGuardian",
    }[kind]
    return TYPES["Client"][field].admits(role)


async def visible_entry(
    info: Info[Context, None], global_id: str, *, consent: bool = False
) -> ClientEntry | None:
    """The clinic's entry `global_id`, if the caller reads its part. `consent`: the data
    consent's guardian too, which is corrected (`amendClientEntry`) but never marked entered in
    error: a minor's data is kept on her guardian's consent, so one always stands."""
    claims = info.context.claims
    raw_id = decode_id(global_id, ENTRY_ID_TYPE)
    if claims is None or raw_id is None:
        return None
    entry = await ClientEntry.get_or_none(id=raw_id, clinic_id=claims.clinic_id)
    if entry is None or (entry.kind == EntryKind.DATA_CONSENT.value and not consent):
        return None
    if not reads_kind(claims.role, EntryKind(entry.kind)):
        return None
    return entry


def correction_refusal(claims: TokenClaims, entry: ClientEntry, author_id: str) -> str | None:
    """Why the caller may not amend the entry or mark it entered in error; None: they may.
    `author_id`: who answers for its content (`medication_stops.content_author`)."""
    if claims.role is Role.SUPERVISOR:
        return None
    if claims.account_id != author_id:
        return "only its author or a supervisor may correct an entry"
    if not MUTATIONS[RECORDING_MUTATION[EntryKind(entry.kind)]].admits(claims.role):
        return "your role no longer records this part of the file"
    return None
