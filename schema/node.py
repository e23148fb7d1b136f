"""Relay `node(id)`: any object by its global id; null for ids that are malformed or unseen."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain.store.models import Client as ClientRow
from domain.store.models import Journey as JourneyRow
from domain.store.models import StaffAccount
from schema.clients.types import Client
from schema.context import Context
from schema.ids import decode_any
from schema.journeys.types import Journey
from schema.staff.types import StaffMember


async def node(info: Info[Context, None], id: strawberry.ID) -> relay.Node | None:
    claims = info.context.claims
    decoded = decode_any(id)
    if claims is None or decoded is None:
        return None
    type_name, raw_id = decoded
    clinic = claims.clinic_id
    if type_name == "Journey":
        row = await JourneyRow.get_or_none(id=raw_id, clinic_id=clinic)
        return Journey.from_row(row) if row else None
    if type_name == "Client":
        client = await ClientRow.get_or_none(id=raw_id, clinic_id=clinic)
        return Client.from_row(client) if client else None
    if type_name == "StaffMember":
        staff = await StaffAccount.get_or_none(id=raw_id, clinic_id=clinic)
        return StaffMember.from_row(staff) if staff else None
    return None
