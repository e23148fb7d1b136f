"""A demo clinic with one account per role, so a new user can walk a journey at once."""

from __future__ import annotations

import asyncio

from domain.money.catalog import DEFAULT_SETTINGS
from domain.passwords import hash_password
from domain.roles import STAFF_ROLES
from domain.store import administration
from domain.store.billing import ClinicBilling
from domain.store.db import close_db, open_current_db
from domain.store.models import Clinic, StaffAccount
from server.procedure_seeds import seed_procedure_types
from server.settings import Settings

DEMO_CLINIC_ID = "demo-clinic"
DEMO_PASSWORD = "glowpath-demo"


def demo_username(role_value: str) -> str:
    return role_value.lower().replace("_", "-")


async def seed_demo(settings: Settings) -> list[tuple[str, str, str]]:
    """Creates what is missing (idempotent) and returns (username, password, role) rows."""
    await open_current_db(settings.database_url, settings.database_tls)
    try:
        new_clinic = not await Clinic.exists(id=DEMO_CLINIC_ID)
        await administration.create_clinic(DEMO_CLINIC_ID, "Glowpath Demo Clinic", "Europe/Warsaw")
        password_hash = await asyncio.to_thread(hash_password, DEMO_PASSWORD)
        logins = []
        for role in STAFF_ROLES:
            username = demo_username(role.value)
            if not await StaffAccount.exists(username=username):
                display_name = f"Demo {role.value.replace('_', ' ').title()}"
                # The demo's password is printed for everyone: no forced change for a demo.
                new = administration.NewAccount(
                    DEMO_CLINIC_ID, username, display_name, role, password_hash, False
                )
                await administration.create_account(new, account_id=f"staff-{username}")
            logins.append((username, DEMO_PASSWORD, role.value))
        await seed_procedure_types(DEMO_CLINIC_ID, "staff-supervisor")
        # A Warsaw clinic bills in złoty (the walk-through and the benchmarks price in PLN).
        # Only a clinic this seed made: one seeded before kept the default (EUR) and has prices
        # and plans in it, and a supervisor's `setBillingSettings` is theirs.
        if new_clinic:
            await ClinicBilling.get_or_create(
                clinic_id=DEMO_CLINIC_ID,
                defaults={
                    "currency": "PLN",
                    "locale": "pl_PL",
                    "discount_threshold_percent": DEFAULT_SETTINGS.discount_threshold_percent,
                    "payment_policy": DEFAULT_SETTINGS.payment_policy.value,
                },
            )
        return logins
    finally:
        await close_db()
