"""Whether a partner reached each seed-003 milestone in time, read from what the clinic recorded:
a complete registration, a referred client's arrival, money taken from a referred client."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery

from domain.partners.deadlines import Milestone, missing_materials
from domain.store.money_movements import recorded_payments
from domain.store.partners import PartnerLapse, PartnerReferral, PartnerRegistration


async def reached(partner_id: str, clinic_id: str, milestone: Milestone, by: datetime) -> bool:
    if milestone is Milestone.REGISTERED:
        versions = await PartnerRegistration.filter(partner_id=partner_id, registered_at__lte=by)
        return any(
            not missing_materials(v.agreement_reference, v.bank_details, v.premises_photo_ids)
            for v in versions
        )
    referred = PartnerReferral.filter(partner_id=partner_id, at__lte=by)
    if milestone is Milestone.FIRST_CONSULTATION:
        return await referred.exists()
    # The referrals' journeys by a subquery: a partner's referrals grow over the years.
    journeys = Subquery(referred.values("journey_id"))
    payments = await recorded_payments(clinic_id, None, by, journeys)
    return sum(p.amount_minor for p in payments) > 0


async def flag_if_missed(
    partner_id: str, clinic_id: str, milestone: Milestone, due_at: datetime
) -> bool:
    """Flags the lapse once; True when missed."""
    if await reached(partner_id, clinic_id, milestone, due_at.astimezone(UTC)):
        return False
    # A retried check finds the row an earlier attempt wrote.
    with contextlib.suppress(IntegrityError):
        await PartnerLapse.create(
            clinic_id=clinic_id,
            partner_id=partner_id,
            milestone=milestone.value,
            due_at=due_at,
            flagged_at=datetime.now(UTC),
        )
    return True
