"""Migration 0044 gives every refund a kind (`refund.kind`): those stored before it read as
REVERSAL, what each of them meant, and the table stays append-only as it was, on the way back
too, with the indexes earlier migrations made (on a database of its own, of the session's
kind)."""

from __future__ import annotations

from typing import Any

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.migrations.api import migrate

from domain.store.append_only import is_append_only_refusal
from domain.store.billing import Payment, Refund
from tests.migration_templates import MigrationTemplates
from tests.store.migrated import old_row
from tests.store.money_rows import utc

BEFORE = "models.0043_partner_name_order"


async def _rows(sql: str) -> list[dict[str, Any]]:
    return list(await connections.get("default").execute_query_dict(sql))


async def test_stored_refunds_read_as_reversals_and_stay_append_only(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0043 left it, with a payment given back twice
    async with migration_templates.migrated_to(BEFORE) as config:
        await old_row(
            Payment,
            id="pay-1",
            clinic_id="c-1",
            journey_id="j-1",
            client_id="client-1",
            bill_id="b-1",
            kind="FULL",
            method="CARD",
            amount_minor=90000,
            currency="EUR",
            receipt_number=1,
            recorded_by="cashier-1",
            recorded_at=utc(3),
        )
        for n in (1, 2):
            await old_row(
                Refund,
                id=f"rf-{n}",
                clinic_id="c-1",
                payment_id="pay-1",
                journey_id="j-1",
                client_id="client-1",
                bill_id="b-1",
                amount_minor=1000 * n,
                currency="EUR",
                reason="card charged twice",
                before_treatment=False,
                recorded_by="supervisor-1",
                recorded_role="SUPERVISOR",
                recorded_at=utc(4),
            )

        # When the migrations run to the end
        await migrate(config=config)

        # Then each refund stored before reads as a REVERSAL, as it was meant
        after = await _rows("SELECT id, amount_minor, kind FROM refund ORDER BY id")
        assert [(r["id"], r["amount_minor"], r["kind"]) for r in after] == [
            ("rf-1", 1000, "REVERSAL"),
            ("rf-2", 2000, "REVERSAL"),
        ]
        assert [r.kind for r in await Refund.all().order_by("id")] == ["REVERSAL", "REVERSAL"]
        # And the table refuses to be changed, as before the migration
        db = connections.get("default")
        for change in ("UPDATE refund SET kind = 'GOODWILL'", "DELETE FROM refund"):
            with pytest.raises(IntegrityError) as refused:
                await db.execute_query(change)
            assert is_append_only_refusal(refused.value), change

        # When it is rolled back past the indexes of 0037, and run to the end again
        await migrate(config=config, target="models.0036_consent_withdrawal_after_journey")
        await migrate(config=config)

        # Then the refunds are there as before, still append-only
        again = await _rows("SELECT id, kind FROM refund ORDER BY id")
        assert [(r["id"], r["kind"]) for r in again] == [("rf-1", "REVERSAL"), ("rf-2", "REVERSAL")]
        # (on the connection of now: one taken before the migrations ran would open another,
        # which nothing closes and whose thread holds the process at exit)
        with pytest.raises(IntegrityError) as refused:
            await connections.get("default").execute_query("DELETE FROM refund")
        assert is_append_only_refusal(refused.value)
