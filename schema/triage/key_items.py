"""Key items (重点项目): each month the supervisor ranks consultants on their key-item deals
(conversion rate, then average ticket) and gives the desk the new priority order."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblemCode as Code
from domain.money.money import Money
from domain.months import is_month
from domain.store.key_items import key_item_standings
from domain.store.triage_models import TriageBoard as BoardRow
from domain.triage.codec import desk_from_json
from domain.triage.commands import OverrideCommand, OverrideKind
from schema import idempotency
from schema.context import Context
from schema.errors import ValidationFailed, invalid, not_authorized
from schema.ids import encode_id
from schema.money.common import billing_settings
from schema.triage.desk import (
    TriageResult,
    consultant_list,
    desk_change,
    desk_note_problem,
    refused,
)


@strawberry.type(description="One consultant's month on the clinic's key items.")
class KeyItemStanding:
    consultant_id: strawberry.ID
    consultations: int
    deals: int
    conversion_rate: float
    average_ticket: Decimal = strawberry.field(
        description="Paid per deal, in major units of the clinic's currency (as many decimal "
        "places as it has: none for JPY, three for KWD)."
    )


@strawberry.input
class KeyItemPriorityInput:
    consultant_ids: list[strawberry.ID] = strawberry.field(description="Best first; [] clears.")
    reason: str
    idempotency_key: str | None = idempotency.key_field()


async def key_item_ranking(
    info: Info[Context, None], clinic_id: strawberry.ID, month: str
) -> list[KeyItemStanding] | None:
    """Best first; empty for another clinic, a malformed month ("YYYY-MM", years 1900 to 9998)
    or no key items."""
    claims = info.context.claims
    if claims is None or clinic_id != claims.clinic_id or not is_month(month):
        return []
    board = await BoardRow.get_or_none(clinic_id=claims.clinic_id)
    key_items = desk_from_json(board.state).policy.key_items if board else ()
    standings = await key_item_standings(claims.clinic_id, month, key_items)
    currency = (await billing_settings(claims.clinic_id)).currency
    return [
        KeyItemStanding(
            consultant_id=strawberry.ID(encode_id("StaffMember", s.consultant_id)),
            consultations=s.consultations,
            deals=s.deals,
            conversion_rate=round(s.conversion_rate, 4),
            average_ticket=Money.from_minor(s.average_ticket_minor, currency).amount,
        )
        for s in standings
    ]


async def set_key_item_priority(
    info: Info[Context, None], input: KeyItemPriorityInput
) -> TriageResult:
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    if not input.reason.strip():
        return invalid("reason", "say which month's ranking this is", Code.REQUIRED)
    bad_reason = desk_note_problem("reason", input.reason)
    if bad_reason:
        return bad_reason
    ranked = await consultant_list(input.consultant_ids, claims.clinic_id)
    if isinstance(ranked, ValidationFailed):
        return await refused(info, input, ranked)
    command = OverrideCommand(actor, OverrideKind.SET_KEY_ITEM_PRIORITY, priority=ranked)
    return await desk_change(
        info,
        "set_key_item_priority",
        input,
        lambda gateway, clinic, key, note: gateway.override(
            clinic, replace(command, note_id=note), key
        ),
        note=input.reason,
    )
