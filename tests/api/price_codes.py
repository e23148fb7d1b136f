"""Item codes on a clinic's price list, for desk tests: the desk is told only codes the clinic's
price list names (`schema.triage.item_catalog`)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from domain.store.billing import PriceListItem


async def list_codes(clinic_id: str, *codes: str) -> None:
    """Each code as a first version of a price-list item, as `setPriceListItem` writes one."""
    for code in codes:
        await PriceListItem.create(
            id=str(uuid.uuid4()),
            clinic_id=clinic_id,
            code=code,
            version=1,
            kind="PROCEDURE",
            name=f"Item {code}",
            currency="EUR",
            list_price_minor=10_000,
            valid_from=date(2020, 1, 1),
            set_by="test",
            set_at=datetime.now(UTC),
        )
