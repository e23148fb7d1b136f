"""`priceList` lists every code in force, however many versions the codes before it have piled
up: the database picks each code's newest version begun by the day, keeps the ones in force
(of the kind asked), orders them by code point and stops at the list's bound. The bound was put
on the versions read, so codes late in the order went missing behind the versions of earlier
ones, and the order followed the database's collation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

import pytest

from domain.roles import Role
from domain.store.billing import PriceListItem
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver
from tests.api.rows_read import count_reads

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
ON = date(2026, 6, 1)
EARLY_CODES = 90
VERSIONS_EACH = 25  # 2,250 versions of codes that come first: past the list's 2,000
# Codes a locale's collation orders otherwise (case and punctuation weigh less there).
MIXED = ["Filler", "filler", "filler-b", "filler_a", "Éclat", "eclat", "美"]
PRICE_LIST = "query PriceList($on: Date) { priceList(on: $on) { code version kind } }"


def _version(clinic_id: str, code: str, version: int, **changes: object) -> PriceListItem:
    fields: dict[str, object] = {
        "kind": "PROCEDURE",
        "valid_from": date(2026, 1, 1),
        "valid_to": None,
        **changes,
    }
    return PriceListItem(
        id=f"{clinic_id}-{code}-v{version}",
        clinic_id=clinic_id,
        code=code,
        version=version,
        name=f"{code} {version}",
        currency="EUR",
        list_price_minor=100 * version,
        set_by="supervisor",
        set_at=datetime.now(UTC),
        **fields,
    )


async def _price_list(clinic_id: str) -> list[tuple[str, int, str]]:
    """The clinic's versions, and what the list on `ON` holds: (code, version, kind) by code."""
    rows = [
        _version(clinic_id, f"A-{n:03d}", v)
        for n in range(EARLY_CODES)
        for v in range(1, VERSIONS_EACH + 1)
    ]
    rows += [_version(clinic_id, code, 1) for code in MIXED]
    # A version that begins after the day: the one before it is in force.
    rows += [
        _version(clinic_id, "LATER", 1),
        _version(clinic_id, "LATER", 2, valid_from=ON.replace(month=7)),
    ]
    # An item whose newest version has ended by the day: not listed.
    rows += [
        _version(clinic_id, "ENDED", 1),
        _version(clinic_id, "ENDED", 2, valid_to=ON.replace(month=5)),
    ]
    # An item that became a consumable: listed as one.
    rows += [_version(clinic_id, "KIND", 1), _version(clinic_id, "KIND", 2, kind="CONSUMABLE")]
    rows.append(_version(clinic_id, "ZZ-LAST", 1))
    await PriceListItem.bulk_create(rows, batch_size=500)
    listed = [(f"A-{n:03d}", VERSIONS_EACH, "PROCEDURE") for n in range(EARLY_CODES)]
    listed += [(code, 1, "PROCEDURE") for code in [*MIXED, "LATER", "ZZ-LAST"]]
    listed.append(("KIND", 2, "CONSUMABLE"))
    return sorted(listed)


async def test_a_late_code_is_listed_behind_codes_with_many_versions(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a clinic whose first codes have 2,250 versions between them, and codes after them
    clinic = await fresh_clinic()
    expected = await _price_list(await clinic_of(clinic))
    cashier = clinic.token(Role.CASHIER)
    reads = count_reads(monkeypatch, "price_list_item")
    # When the cashier reads the price list of the day
    listed = (await clinic.api.run(PRICE_LIST, cashier, on=ON.isoformat()))["priceList"]
    # Then every code in force is there, the last one too, each in its version of the day, by
    # code point (as Python orders strings)
    assert [(i["code"], i["version"], i["kind"]) for i in listed] == expected
    # And only the versions listed were read
    assert reads.rows == len(expected), reads.rows
    # When only the consumables are asked
    consumables = "query C($on: Date) { priceList(on: $on, kind: CONSUMABLE) { code version } }"
    kind = (await clinic.api.run(consumables, cashier, on=ON.isoformat()))["priceList"]
    # Then the item is listed as its version of the day says, and not among the procedures
    assert kind == [{"code": "KIND", "version": 2}]
    procedures = consumables.replace("CONSUMABLE", "PROCEDURE")
    listed = (await clinic.api.run(procedures, cashier, on=ON.isoformat()))["priceList"]
    assert "KIND" not in {i["code"] for i in listed}
