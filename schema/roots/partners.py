"""Partner salons and the consultants' figures, joined into the Query and Mutation roots."""

from __future__ import annotations

import strawberry

from domain.partners.statement import MAX_STATEMENT_LINES
from schema.money import figures as money_figures
from schema.partners import queries as partner_queries
from schema.partners import register as partner_register
from schema.partners import statement as partner_statement


@strawberry.type
class PartnerQueries:
    consultant_figures = strawberry.field(
        resolver=money_figures.consultant_figures,
        description="Supervisors: each consultant's month (first visits, conversion, average "
        "ticket, revenue credited). Empty for another clinic or a malformed month.",
    )
    partners = strawberry.field(
        resolver=partner_queries.partners,
        description="Supervisors and cashiers: your clinic's partner salons by name, with "
        "their deadlines; `lapsedOnly` for those that missed one.",
    )
    partner_statement = strawberry.field(
        resolver=partner_statement.partner_statement,
        description="Supervisors and cashiers: what a partner salon is owed for a month under "
        "the seed-003 split, line by line and as CSV. It counts the money taken in the month "
        "from the clients the partner referred: each payment is a sale of its part of the "
        "bill's lines (a deposit, an installment), each refund takes its part back. A month "
        f"of more than {MAX_STATEMENT_LINES} lines is refused whole (ValidationFailed on "
        "`month`), never cut.",
    )


@strawberry.type
class PartnerMutations:
    register_partner = strawberry.mutation(
        resolver=partner_register.register_partner,
        description="Supervisor: report a new partner salon (its deadlines start) or record a "
        "new version of its registration (agreement, bank details, premises photos).",
    )
