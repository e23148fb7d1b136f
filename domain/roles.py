"""Who works in a clinic. The journey's role table (domain.journey.table) says who may do what."""

from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    FRONT_DESK = "FRONT_DESK"
    CONSULTANT = "CONSULTANT"
    EXPERT = "EXPERT"
    NURSE = "NURSE"
    CASHIER = "CASHIER"
    FOLLOW_UP_STAFF = "FOLLOW_UP_STAFF"
    SUPERVISOR = "SUPERVISOR"
    # Runs the installation: clinics and staff accounts; reads no client's data.
    ADMIN = "ADMIN"
    # Timer-driven changes (a follow-up falling due) are made by the journey itself.
    SYSTEM = "SYSTEM"


# Roles an account can hold.
STAFF_ROLES: tuple[Role, ...] = tuple(role for role in Role if role is not Role.SYSTEM)
# Roles of a clinic's own staff, who work with its clients.
CLINIC_ROLES: tuple[Role, ...] = tuple(role for role in STAFF_ROLES if role is not Role.ADMIN)


def known_role(stored: str) -> Role | None:
    """The role a stored value names, or None for one this release does not know (a later
    release's, read after a rollback): whoever holds it may do nothing that needs a role."""
    try:
        return Role(stored)
    except ValueError:
        return None
