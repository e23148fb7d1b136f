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
    # Timer-driven changes (a follow-up falling due) are made by the journey itself.
    SYSTEM = "SYSTEM"


STAFF_ROLES: tuple[Role, ...] = tuple(role for role in Role if role is not Role.SYSTEM)
