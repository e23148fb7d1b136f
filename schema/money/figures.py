"""`consultantFigures`: a consultant's month (seed 004) for the supervisor."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from domain.months import is_month
from domain.store.consultant_figures import consultant_months
from schema.context import Context
from schema.ids import encode_id
from schema.money.types import Money


@strawberry.type(description="One consultant's month: first visits, deals and credited revenue.")
class ConsultantFigures:
    consultant_id: strawberry.ID = strawberry.field(description="The consultant (`StaffMember`).")
    first_visits: int = strawberry.field(
        description="First visits the desk gave them this month (初诊)."
    )
    deals: int = strawberry.field(
        description="Of those first visits, how many journeys have taken money (to date)."
    )
    conversion_rate: float = strawberry.field(
        description="deals / firstVisits, to 4 places; 0 without first visits."
    )
    revenue_credited: list[Money] = strawberry.field(
        description="Payments less refunds taken this month, credited under the desk's "
        "attribution (owner; 50/50 for a wrong assignment not their fault; 30 % kept on a "
        "joint review; a client's request moves it; a stand-in is credited none, the split "
        "staying as it stood), one entry per currency."
    )
    average_ticket: list[Money] = strawberry.field(
        description="revenueCredited divided by the journeys it came from this month, per "
        "currency, rounded down to the currency's minor unit (the cent; the whole yen)."
    )


async def consultant_figures(
    info: Info[Context, None], clinic_id: strawberry.ID, month: str
) -> list[ConsultantFigures] | None:
    """By consultant id; empty for another clinic or a malformed month ("YYYY-MM", years 1900
    to 9998)."""
    claims = info.context.claims
    if claims is None or clinic_id != claims.clinic_id or not is_month(month):
        return []
    return [
        ConsultantFigures(
            consultant_id=strawberry.ID(encode_id("StaffMember", f.consultant_id)),
            first_visits=f.first_visits,
            deals=f.deals,
            conversion_rate=round(f.conversion_rate, 4),
            revenue_credited=[Money.minor(m, c) for c, m in sorted(f.revenue_minor.items())],
            average_ticket=[
                Money.minor(f.average_ticket_minor(c), c) for c in sorted(f.revenue_minor)
            ],
        )
        for f in await consultant_months(claims.clinic_id, month)
    ]
