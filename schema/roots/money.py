"""The money operations, mixed into the Query and Mutation roots (`schema.build`)."""

from __future__ import annotations

import strawberry

from schema.journeys.actions import JourneyResult
from schema.money import bills, history, payments, price_list, refund_types, refunds, settings


@strawberry.type
class MoneyQuery:
    price_list = strawberry.field(
        resolver=price_list.price_list,
        description="Your clinic's price list on a day: each item's newest version in force, "
        "by code (compared by code point), at most 2000 items.",
    )
    billing_settings = strawberry.field(
        resolver=settings.billing_settings_query,
        description="Your clinic's money settings (currency, locale, policy).",
    )
    billing_history = strawberry.field(
        resolver=history.billing_history,
        description="Cashiers and supervisors: a client's spending by month, most bought items, "
        "paid vs outstanding (on installments too), in the clinic's currency or the one asked "
        "(`currency:`, for bills and payments from before the clinic changed its currency).",
    )
    bill = strawberry.field(
        resolver=bills.bill,
        description="Cashiers and supervisors: a bill by its id, or a journey's current bill.",
    )


@strawberry.type
class MoneyMutation:
    set_price_list_item: price_list.SetPriceListItemResult = strawberry.mutation(
        resolver=price_list.set_price_list_item,
        description="Supervisor: a new version of a price-list item; earlier versions and the "
        "bills made from them never change.",
    )
    create_bill: bills.BillResult = strawberry.mutation(
        resolver=bills.create_bill,
        description="Cashier: an itemised bill for the approved plan, from today's price list; "
        "it replaces a bill the client has not confirmed.",
    )
    confirm_bill: bills.BillResult = strawberry.mutation(
        resolver=bills.confirm_bill,
        description="The client confirms the journey's current bill, recorded like a signature.",
    )
    set_billing_settings: settings.SetBillingSettingsResult = strawberry.mutation(
        resolver=settings.set_billing_settings,
        description="Supervisor: the clinic's currency, locale, discount threshold and payment "
        "policy.",
    )
    record_refund: refund_types.RefundResult = strawberry.mutation(
        resolver=refunds.record_refund,
        description="Money given back against a payment, as a new entry (the payment stays). "
        "Before treatment a cashier (the journey ends as REFUNDED); after it a supervisor.",
    )
    record_payment: JourneyResult = strawberry.mutation(
        resolver=payments.record_payment,
        description="Full payment, deposit, top-up, installments, a part: against the confirmed "
        "bill, which a journey with a bill must name (`billId`); a journey with no bill pays its "
        "final plan's price. Each payment gets the clinic's next receipt number.",
    )
