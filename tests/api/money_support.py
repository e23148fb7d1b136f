"""Documents and helpers of the money tests: price list, bills, payments, refunds."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.roles import Role
from tests.api.flow import JourneyDriver

# A clinic billing in euros, with the default threshold and policy.
EUR_SETTINGS = {
    "currency": "EUR",
    "locale": "pl_PL",
    "discountThresholdPercent": 10,
    "paymentPolicy": "FULL",
}
MONEY = "amount currency formatted"
ITEM_FIELDS = (
    f"id code version kind name listPrice {{ {MONEY} }} specialPrice {{ {MONEY} }}"
    f" consumableCost {{ {MONEY} }} validFrom validTo"
)
ERRORS = """
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
"""
PAYMENT_FIELDS = f"id kind method amount {{ {MONEY} }} receiptNumber recordedBy"
BILL_FIELDS = f"""
  id journeyId
  lines {{ code kind name quantity unitPrice {{ {MONEY} }} atSpecialPrice lineTotal {{ {MONEY} }} }}
  subtotal {{ {MONEY} }} discount {{ {MONEY} }} discountReason discountGrantedBy
  total {{ {MONEY} }} paid {{ {MONEY} }} refunded {{ {MONEY} }} outstanding {{ {MONEY} }}
  confirmation {{ signerName witnessId confirmedAt }}
  payments {{ {PAYMENT_FIELDS} }}
  refunds {{ id paymentId amount {{ {MONEY} }} reason beforeTreatment }}
"""

SET_ITEM = f"""
mutation SetItem($input: SetPriceListItemInput!) {{
  setPriceListItem(input: $input) {{
    __typename
    ... on PriceListItemPayload {{ item {{ {ITEM_FIELDS} }} }}
    {ERRORS}
  }}
}}
"""
PRICE_LIST = f"query PriceList($on: Date) {{ priceList(on: $on) {{ {ITEM_FIELDS} }} }}"
PRICE_LIST_PRICES = "query Prices { priceList { code listPrice { amount } } }"
CREATE_BILL = f"""
mutation CreateBill($input: CreateBillInput!) {{
  createBill(input: $input) {{
    __typename
    ... on BillPayload {{ bill {{ {BILL_FIELDS} }} }}
    {ERRORS}
  }}
}}
"""
CONFIRM_BILL = CREATE_BILL.replace("CreateBill", "ConfirmBill").replace("createBill", "confirmBill")
BILL = f"""
query Bill($id: ID, $journeyId: ID) {{ bill(id: $id, journeyId: $journeyId) {{ {BILL_FIELDS} }} }}
"""


def eur(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


async def set_item(driver: JourneyDriver, **fields: Any) -> dict[str, Any]:
    item = {
        "code": f"HA-{uuid.uuid4().hex[:6]}",
        "kind": "PROCEDURE",
        "name": "Hyaluronic acid, cheeks",
        "listPrice": eur("800.00"),
        "validFrom": "2020-01-01",
        **fields,
    }
    data = await driver.api.run(SET_ITEM, driver.token(Role.SUPERVISOR), input=item)
    result = data["setPriceListItem"]
    assert result["__typename"] == "PriceListItemPayload", result
    return result["item"]  # type: ignore[no-any-return]


async def money_call(
    driver: JourneyDriver, document: str, role: Role, **input: Any
) -> dict[str, Any]:
    data = await driver.api.run(document, driver.token(role), input=input)
    (result,) = data.values()
    return result  # type: ignore[no-any-return]


async def billed_journey(
    driver: JourneyDriver,
    lines: list[dict[str, Any]],
    journey: dict[str, Any] | None = None,
    **extra: Any,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A journey (a fresh one, or `journey` driven on) at PAYMENT with a confirmed bill of
    `lines`: (journey, bill)."""
    journey = await driver.drive_to("PAYMENT", journey)
    created = await money_call(
        driver, CREATE_BILL, Role.CASHIER, journeyId=journey["id"], lines=lines, **extra
    )
    assert created["__typename"] == "BillPayload", created
    confirmed = await money_call(
        driver, CONFIRM_BILL, Role.CASHIER, billId=created["bill"]["id"], signerName="Anna Nowak"
    )
    assert confirmed["__typename"] == "BillPayload", confirmed
    return journey, confirmed["bill"]


async def bill_for_installments(
    driver: JourneyDriver,
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, str]]]:
    """A fresh journey at PAYMENT with a confirmed bill of 900.00, and the schedule that makes it
    with 300.00 paid now: 300.00 due 30 days after UTC's today, 300.00 after 60. (journey, bill,
    schedule)"""
    item = await set_item(driver, listPrice=eur("900.00"))
    journey, bill = await billed_journey(driver, [{"priceItemId": item["id"]}])
    today = datetime.now(UTC).date()
    schedule = [
        {"dueOn": (today + timedelta(days=30)).isoformat(), "amount": "300.00"},
        {"dueOn": (today + timedelta(days=60)).isoformat(), "amount": "300.00"},
    ]
    return journey, bill, schedule


RECORD_REFUND = f"""
mutation Refund($input: RecordRefundInput!) {{
  recordRefund(input: $input) {{
    __typename
    ... on RefundPayload {{
      refund {{ id paymentId amount {{ {MONEY} }} reason beforeTreatment recordedBy }}
      journey {{ id stage outcome }}
    }}
    {ERRORS}
  }}
}}
"""
SET_SETTINGS = """
mutation Settings($input: SetBillingSettingsInput!) {
  setBillingSettings(input: $input) {
    __typename
    ... on BillingSettingsPayload {
      settings { currency locale discountThresholdPercent paymentPolicy }
    }
    ... on UserError { code message }
  }
}
"""


def payment(bill: dict[str, Any], amount: str, kind: str, **extra: Any) -> dict[str, Any]:
    """The input of a payment against `bill`, by card."""
    return {
        "journeyId": bill["journeyId"],
        "billId": bill["id"],
        "amount": amount,
        "currency": "EUR",
        "method": "CARD",
        "kind": kind,
        **extra,
    }


async def bill_of(driver: JourneyDriver, journey_id: str) -> dict[str, Any]:
    data = await driver.api.run(BILL, driver.token(Role.CASHIER), journeyId=journey_id)
    return data["bill"]  # type: ignore[no-any-return]


BILLING_HISTORY = f"""
query History($clientId: ID!) {{
  billingHistory(clientId: $clientId) {{
    months {{ month paid {{ amount }} refunded {{ amount }} net {{ amount }} }}
    mostBought {{ code quantity spent {{ amount }} }}
    bills {{ billId total {{ amount }} paid {{ amount }} outstanding {{ amount }} onInstallments }}
    paid {{ {MONEY} }} outstanding {{ amount }} outstandingOnInstallments {{ amount }}
  }}
}}
"""
CLIENT_OF = "query C($id: ID!) { journey(id: $id) { ... on Journey { client { id } } } }"


async def history_of(driver: JourneyDriver, journey_id: str) -> dict[str, Any]:
    """The billing history of the journey's client, read by a cashier."""
    token = driver.token(Role.CASHIER)
    client = (await driver.api.run(CLIENT_OF, token, id=journey_id))["journey"]["client"]["id"]
    data = await driver.api.run(BILLING_HISTORY, token, clientId=client)
    return data["billingHistory"]  # type: ignore[no-any-return]


INSTALLMENTS = """
query Installments($id: ID, $journeyId: ID) {
  bill(id: $id, journeyId: $journeyId) { installments { seq dueOn amount { amount } overdue } }
}
"""
STATS = """
query Stats($clinicId: ID!) {
  journeyStats(clinicId: $clinicId) { __typename ... on JourneyStats { overdueInstallments } }
}
"""


async def overdue_on_bill(driver: JourneyDriver, journey_id: str) -> list[bool]:
    """The journey's bill's `installments { overdue }`, by installment, as a cashier reads it."""
    data = await driver.api.run(INSTALLMENTS, driver.token(Role.CASHIER), journeyId=journey_id)
    return [bool(each["overdue"]) for each in data["bill"]["installments"]]


async def overdue_count(driver: JourneyDriver) -> int:
    supervisor = driver.staff[Role.SUPERVISOR]
    me = await driver.api.run("query { me { ... on StaffMember { clinicId } } }", supervisor.token)
    data = await driver.api.run(STATS, supervisor.token, clinicId=me["me"]["clinicId"])
    return int(data["journeyStats"]["overdueInstallments"])
