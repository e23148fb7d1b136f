"""Products given, by lot: written with the treatment record, asked for in a recall.

`lotRecipients(lot)` answers which of the clinic's clients received a lot; every client it names
is a read of that client's file, and leaves an audit row like any other.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from domain.audit import LOT_RECIPIENTS_READ
from domain.store.models import Client as ClientRow
from domain.store.models import Journey as JourneyRow
from domain.store.procedures import TreatmentProduct
from schema.audit.collector import note_access
from schema.clients.types import Client
from schema.context import Context
from schema.ids import encode_id

MAX_RECIPIENTS = 1000


@strawberry.type(description="A client who received a product from the lot asked about.")
class LotRecipient:
    client: Client = strawberry.field(description="The client.")
    journey_id: strawberry.ID = strawberry.field(description="Global id of the journey.")
    product_name: str = strawberry.field(description="The product as recorded.")
    lot_number: str = strawberry.field(description="The lot as recorded.")
    dose: str = strawberry.field(description="The dose given.")
    body_area: str | None = strawberry.field(description="Where it was given.")
    given_at: datetime = strawberry.field(description="When the treatment was recorded, UTC.")


def _product_id(journey_id: str, index: int) -> str:
    # One treatment record per journey: (journey, position) names a product across retries.
    return hashlib.sha256(f"{journey_id}:{index}".encode()).hexdigest()


async def record_products(row: JourneyRow, products: list[Any], account_id: str) -> None:
    """Writes the products of an accepted treatment record; a retry converges on the same rows."""
    now = datetime.now(UTC)
    for index, product in enumerate(products):
        product_id = _product_id(row.id, index)
        if await TreatmentProduct.exists(id=product_id):
            continue
        try:
            await TreatmentProduct.create(
                id=product_id,
                clinic_id=row.clinic_id,
                journey_id=row.id,
                client_id=row.client_id,
                name=product.name.strip(),
                lot_number=product.lot_number.strip(),
                dose=product.dose.strip(),
                body_area=(product.body_area or "").strip() or None,
                recorded_by=account_id,
                recorded_at=now,
            )
        except IntegrityError:
            if not await TreatmentProduct.exists(id=product_id):  # not a racing retry's row
                raise


async def lot_recipients(
    info: Info[Context, None],
    lot: Annotated[str, strawberry.argument(description="The lot number, exactly as recorded.")],
) -> list[LotRecipient] | None:
    """Which of your clinic's clients received a product from this lot (a recall)."""
    claims = info.context.claims
    if claims is None or not lot.strip() or len(lot) > 200:
        return []
    rows = (
        await TreatmentProduct.filter(clinic_id=claims.clinic_id, lot_number=lot.strip())
        .order_by("recorded_at", "id")
        .limit(MAX_RECIPIENTS)
    )
    clients = {
        c.id: c
        for c in await ClientRow.filter(
            id__in={r.client_id for r in rows}, clinic_id=claims.clinic_id
        )
    }
    found = []
    for row in rows:
        client = clients.get(row.client_id)
        if client is None:
            continue
        note_access(row.client_id, LOT_RECIPIENTS_READ)
        found.append(
            LotRecipient(
                client=Client.from_row(client),
                journey_id=strawberry.ID(encode_id("Journey", row.journey_id)),
                product_name=row.name,
                lot_number=row.lot_number,
                dose=row.dose,
                body_area=row.body_area,
                given_at=row.recorded_at,
            )
        )
    return found
