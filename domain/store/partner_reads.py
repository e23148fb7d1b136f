"""Reading and appending partner registrations."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from domain.errors import Conflict
from domain.store.partners import PartnerLapse, PartnerReferral, PartnerRegistration
from domain.store.sql import as_models, columns_of, is_postgres, marks
from domain.store.version_lists import key_order


@dataclass(frozen=True)
class RegistrationDraft:
    partner_id: str
    clinic_id: str
    name: str
    agreement_reference: str | None
    bank_details: str | None
    premises_photo_ids: list[str]
    registered_by: str


async def current(partner_id: str, clinic_id: str) -> PartnerRegistration | None:
    """The version in force (the highest), or None for no such partner in the clinic."""
    rows = PartnerRegistration.filter(partner_id=partner_id, clinic_id=clinic_id)
    return await rows.order_by("-version").first()


async def first_reported(partner_id: str) -> datetime | None:
    first = await PartnerRegistration.filter(partner_id=partner_id, version=1).first()
    return first.registered_at if first else None


async def append_version(registration_id: str, draft: RegistrationDraft) -> PartnerRegistration:
    """Writes the next version under `registration_id`; a retry with that id finds its row."""
    written = await PartnerRegistration.get_or_none(id=registration_id)
    if written is not None:
        return written
    latest = await current(draft.partner_id, draft.clinic_id)
    try:
        return await PartnerRegistration.create(
            id=registration_id,
            version=(latest.version if latest else 0) + 1,
            registered_at=datetime.now(UTC),
            **asdict(draft),
        )
    except IntegrityError:
        # Another version landed between the read and the write (or this id did).
        written = await PartnerRegistration.get_or_none(id=registration_id)
        if written is not None:
            return written
        raise Conflict("the partner changed meanwhile; read it again and retry") from None


async def record_referral(
    clinic_id: str, partner_id: str, journey_id: str, client_id: str, recorded_by: str
) -> None:
    """Once per journey: a retried start finds the row."""
    if await PartnerReferral.exists(journey_id=journey_id):
        return
    try:
        await PartnerReferral.create(
            clinic_id=clinic_id,
            partner_id=partner_id,
            journey_id=journey_id,
            client_id=client_id,
            recorded_by=recorded_by,
            at=datetime.now(UTC),
        )
    except IntegrityError:
        if not await PartnerReferral.exists(journey_id=journey_id):
            raise


def _partners_sql(postgres: bool, lapsed_only: bool) -> str:
    places = iter(marks(postgres, 2))
    names = ", ".join(f'v."{c}"' for c in columns_of(PartnerRegistration))
    lapsed = (
        " AND EXISTS (SELECT 1 FROM partner_lapse AS l WHERE l.partner_id = v.partner_id"
        " AND l.clinic_id = v.clinic_id)"
        if lapsed_only
        else ""
    )
    order = ", ".join(key_order(postgres, f"v.{c}") for c in ("name_order", "partner_id"))
    return (
        f"SELECT {names} FROM partner_registration AS v WHERE v.clinic_id = {next(places)}"
        " AND NOT EXISTS (SELECT 1 FROM partner_registration AS newer WHERE newer.clinic_id ="
        " v.clinic_id AND newer.partner_id = v.partner_id AND newer.version > v.version)"
        f"{lapsed} ORDER BY {order} LIMIT {next(places)}"
    )


async def clinic_partners(
    clinic_id: str, *, limit: int, lapsed_only: bool = False
) -> list[PartnerRegistration]:
    """The clinic's first `limit` partners in their versions in force, by case-folded name
    (`partners.name_order`, compared by code point) then id; `lapsed_only`, those that missed
    a deadline. The database picks, orders and cuts them: no more rows than that are read,
    however many partners and versions the clinic has."""
    db = PartnerRegistration._meta.db
    sql = _partners_sql(is_postgres(db), lapsed_only)
    return as_models(PartnerRegistration, await db.execute_query_dict(sql, [clinic_id, limit]))


async def first_reports(partner_ids: list[str]) -> dict[str, datetime]:
    """When each partner was first reported, in one query."""
    rows = await PartnerRegistration.filter(partner_id__in=partner_ids, version=1)
    return {r.partner_id: r.registered_at for r in rows}


async def lapses_of(partner_ids: list[str]) -> dict[str, set[str]]:
    """Each partner's missed milestones, in one query."""
    missed: dict[str, set[str]] = {p: set() for p in partner_ids}
    for row in await PartnerLapse.filter(partner_id__in=partner_ids):
        missed[row.partner_id].add(row.milestone)
    return missed
