"""Rows as an older release wrote them, for the tests of a migration on the rows an older
release left (their database: `migration_templates.migrated_to`, tests/migration_templates.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise import Model, connections

from domain.store.models import Client, Clinic, Journey
from domain.store.sql import db_values, insert, is_postgres
from tests.store.money_rows import utc


async def old_row(model: type[Model], **row: Any) -> None:
    """Writes a row of `model` with the columns given only, as an older release did: the model
    may name columns a later migration adds, which the ORM would write."""
    db = connections.get("default")
    columns = list(row)
    await db.execute_query(
        insert(is_postgres(db), model._meta.db_table, columns), db_values(model, row, columns)
    )


async def old_clinic(clinic_id: str = "c-1", **since: Any) -> None:
    """A clinic with the columns of the first release, and those of a later one in `since`
    (`stage_slas` from 0004)."""
    await old_row(Clinic, id=clinic_id, name="Old clinic", timezone="Europe/Warsaw", **since)


async def old_client(clinic_id: str = "c-1", **clinic_since: Any) -> str:
    """A clinic (`old_clinic`) and a client of it, with the columns the first release gave her (a
    client's row had no other up to 0048): the client's id."""
    await old_clinic(clinic_id, **clinic_since)
    client_id = f"client-of-{clinic_id}"
    await old_row(
        Client,
        id=client_id,
        clinic_id=clinic_id,
        full_name="Old Client",
        birth_date=date(1990, 1, 1),
        phone="600100200",
        data_consent_at=utc(1),
        registered_by="desk-1",
        created_at=utc(1),
    )
    return client_id


async def old_journey(
    journey_id: str, client_id: str, stage: str, clinic_id: str = "c-1", **since: Any
) -> None:
    """An active first visit of the client at `stage`, begun the day after she registered, with
    the columns of the first release, and those of a later one in `since` (`stuck` and the
    other supervision columns from 0002)."""
    await old_row(
        Journey,
        id=journey_id,
        clinic_id=clinic_id,
        client_id=client_id,
        stage=stage,
        visit_category="FIRST_VISIT",
        active=True,
        started_at=utc(2),
        stage_entered_at=utc(2),
        last_event_seq=0,
        facts={},
        **since,
    )
