"""Reading and appending partner registrations."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from domain.errors import Conflict
from domain.store.partners import PartnerLapse, PartnerReferral, PartnerRegistration
from domain.store.per_client import newest_versions


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


async def clinic_partners(clinic_id: str) -> list[PartnerRegistration]:
    """Each partner of the clinic in its version in force, by name: one row a partner is read,
    however many versions came before."""
    latest = await newest_versions(PartnerRegistration, clinic_id, "partner_id")
    return sorted(latest, key=lambda r: (r.name.casefold(), r.partner_id))


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


async def lapsed_partner_ids(clinic_id: str) -> set[str]:
    rows = await PartnerLapse.filter(clinic_id=clinic_id).only("partner_id")
    return {r.partner_id for r in rows}
