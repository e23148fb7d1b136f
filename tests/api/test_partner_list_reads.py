"""`partners` reads no more than it answers: the database picks each partner's version in
force, keeps the lapsed ones if asked, orders them by case-folded name (compared by code point,
whatever the collation) and stops at the list's 500. Every partner's newest version was read,
and the list filtered, sorted and cut in Python."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest

from domain.partners.deadlines import Milestone
from domain.roles import Role
from domain.store.partners import PartnerLapse, PartnerRegistration
from schema.ids import encode_id
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver
from tests.api.rows_read import count_reads

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
LISTED = 500
# Names whose case-folded order no collation's lower() gives: case, punctuation, sharp s, sigma
# upper and lower, accents, CJK.
STEMS = [
    *("Straße", "STRASSE", "strasse-b", "Strasse_a"),
    *("\u03a3alon", "\u03c3alon", "Éclat", "eclat", "美"),
]
OLD_NAME = "Aaa old name"


def _version(clinic_id: str, partner_id: str, version: int, name: str) -> PartnerRegistration:
    return PartnerRegistration(
        id=f"{partner_id}-v{version}",
        partner_id=partner_id,
        clinic_id=clinic_id,
        version=version,
        name=name,
        agreement_reference=None,
        bank_details=None,
        premises_photo_ids=[],
        registered_by="supervisor",
        registered_at=datetime.now(UTC),
    )


async def _partners(clinic_id: str) -> list[tuple[str, str]]:
    """600 partners of the clinic as (name in force, raw id), the fourth renamed from a name
    that comes first in a later version; every third one lapsed."""
    shuffled = random.Random(7)
    named = [(f"{shuffled.choice(STEMS)} {n % 40}", f"p-{n:04d}-{clinic_id}") for n in range(600)]
    rows = [_version(clinic_id, pid, 1, name) for name, pid in named]
    rows[3] = _version(clinic_id, named[3][1], 1, OLD_NAME)
    rows.append(_version(clinic_id, named[3][1], 2, named[3][0]))
    await PartnerRegistration.bulk_create(rows, batch_size=100)
    now = datetime.now(UTC)
    await PartnerLapse.bulk_create(
        [
            PartnerLapse(
                clinic_id=clinic_id, partner_id=pid, milestone=m.value, due_at=now, flagged_at=now
            )
            for _name, pid in named[::3]
            for m in (Milestone.REGISTERED, Milestone.FIRST_CONSULTATION)
        ],
        batch_size=100,
    )
    return named


def _in_order(partners: list[tuple[str, str]]) -> list[dict[str, str]]:
    ordered = sorted(partners, key=lambda p: (p[0].casefold(), p[1]))
    return [{"id": encode_id("Partner", pid), "name": name} for name, pid in ordered]


async def test_partners_read_no_more_than_listed_by_case_folded_name(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a clinic with 600 partners, one in two versions, a third of them lapsed
    clinic = await fresh_clinic()
    named = await _partners(await clinic_of(clinic))
    cashier = clinic.token(Role.CASHIER)
    reads = count_reads(monkeypatch, "partner_registration")
    # When the cashier lists them
    listed = (await clinic.api.run("{ partners { id name } }", cashier))["partners"]
    # Then the first 500 by case-folded name, then id, are answered, each by its name in force
    assert listed == _in_order(named)[:LISTED]
    # And no more versions were read than the list's, and each one's first (when reported)
    assert reads.rows <= 2 * LISTED, reads.rows
    # When the lapsed ones are listed
    reads.reset()
    query = "{ partners(lapsedOnly: true) { id name } }"
    lapsed = (await clinic.api.run(query, cashier))["partners"]
    # Then they are answered in the same order, reading no other partner's versions
    assert lapsed == _in_order(named[::3])
    assert reads.rows <= 2 * len(lapsed), reads.rows
