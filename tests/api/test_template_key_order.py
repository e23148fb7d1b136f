"""`consentTemplates` lists templates in one order with `latestOnly` and without (found by
review): the newest versions were sorted in Python, every version by the database's collation,
and a locale's (en_US) put keys differing by case or by '-' and '_' in another order. Both now
go by code point (`domain.store.key_order`). On PostgreSQL the key column is given an en_US
collation for the test, as a database created with that locale would have it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import pytest

from domain.roles import Role
from domain.store.consents import ConsentTemplateVersion
from tests.api.consent_support import publish
from tests.api.flow import JourneyDriver
from tests.api.test_newest_versions import TEMPLATES

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
PUBLISHED = ("filler_a", "filler-b", "filler", "filler.b", "filler-a")
# Keys are published in lower case; older ones kept the case they were written in.
WRITTEN_BEFORE = ("Filler", "FILLER-a")
KEYS = PUBLISHED + WRITTEN_BEFORE
_COLUMN = "ALTER TABLE consent_template_version ALTER COLUMN template_key TYPE VARCHAR(100)"


@pytest.fixture
async def locale_collation(database: str) -> AsyncIterator[None]:
    """On PostgreSQL, template keys compared as en_US compares them until the test ends."""
    if not database.startswith(("postgres", "asyncpg")):
        yield
        return
    connection = await asyncpg.connect(database, timeout=10)
    try:
        await connection.execute(f'{_COLUMN} COLLATE "en-US-x-icu"')
        yield
    finally:
        await connection.execute(f'{_COLUMN} COLLATE "default"')
        await connection.close()


async def test_templates_come_in_one_order_with_latest_only_and_without(
    fresh_clinic: FreshClinic, locale_collation: None
) -> None:
    # Given templates whose keys differ by case and by '-' and '_'
    clinic = await fresh_clinic()
    for key in PUBLISHED:
        await publish(clinic, key=key)
    first = await ConsentTemplateVersion.get(template_key="filler", clinic_id__isnull=False)
    columns = {f: getattr(first, f) for f in first._meta.db_fields if f not in ("id",)}
    for key in WRITTEN_BEFORE:
        await ConsentTemplateVersion.create(**{**columns, "template_key": key}, id=f"old-{key}")
    # When they are listed newest only, and whole
    token = clinic.token(Role.NURSE)
    listed = {
        latest: [
            t["templateKey"]
            for t in (await clinic.api.run(TEMPLATES, token, latestOnly=latest))["consentTemplates"]
        ]
        for latest in (True, False)
    }
    # Then both are in code point order, as Python sorts the keys
    assert listed[True] == sorted(KEYS), listed
    assert listed[False] == sorted(KEYS), listed
