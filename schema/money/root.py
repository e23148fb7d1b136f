"""The money operations, mixed into the Query and Mutation roots (`schema.build`)."""

from __future__ import annotations

import strawberry

from schema.money import bills, price_list


@strawberry.type
class MoneyQuery:
    price_list = strawberry.field(
        resolver=price_list.price_list,
        description="Your clinic's price list on a day: each item's newest version in force.",
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
