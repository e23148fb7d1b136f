"""The FHIR resources of her bills, payments and refunds (`domain.client_file.money_records`).

A bill is an Invoice (status `issued`; `balanced` once paid in full is a matter of the payments,
which the Bundle gives beside it): a line item for each line at the price sold (`base`), its
list price as `informational`, the bill's discount a `discount` price component, its subtotal
`totalNet` and its total `totalGross`. A payment is a PaymentReconciliation of the amount she
paid (its receipt number the payment identifier), whose detail names the bill it paid; a refund
one of the amount given back, negative, its detail an `adjustment`. FHIR's PaymentReconciliation
has no patient element: the Invoice it names has her as subject.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.client_file.fhir_parts import Subject, coded, resource_id, text
from domain.client_file.money_records import Bill, Payment, Refund

_PAYMENT_TYPE = "http://terminology.hl7.org/CodeSystem/payment-type"


def _money(amount: str, currency: str, *, negative: bool = False) -> dict[str, Any]:
    """FHIR's Money: a JSON number. The amount is kept at its currency's places, far inside what
    a double holds exactly to the cent (amounts stay under 10^11)."""
    value = Decimal(amount)
    value = -value if negative else value
    number: int | float = int(value) if value == value.to_integral_value() else float(value)
    return {"value": number, "currency": currency}


def _day(at: datetime, subject: Subject) -> str:
    """The clinic's day of a moment: the day on her receipt."""
    return at.astimezone(subject.file.zone).date().isoformat()


def _invoice_reference(bill_id: str | None) -> dict[str, str] | None:
    return {"reference": f"urn:uuid:{resource_id('Bill', bill_id)}"} if bill_id else None


def bill(bill: Bill, subject: Subject) -> dict[str, Any]:
    currency = bill.currency
    items = [
        {
            "sequence": line.position + 1,  # FHIR counts from 1, the bill's lines from 0
            "chargeItemCodeableConcept": text(f"{line.name} ({line.item_code}) x{line.quantity}"),
            "priceComponent": [
                {"type": "base", "amount": _money(line.line_total, currency)},
                {
                    "type": "informational",
                    "code": text("list price, one"),
                    "amount": _money(line.list_price, currency),
                },
            ],
        }
        for line in bill.lines
    ]
    discount = [
        {
            "type": "discount",
            "code": text(bill.discount_reason),
            "amount": _money(bill.discount, currency),
        }
    ]
    return {
        "resourceType": "Invoice",
        "id": resource_id("Bill", bill.id),
        "status": "issued",
        "subject": subject.patient,
        "date": bill.at.isoformat(),
        "lineItem": items,
        "totalPriceComponent": discount if Decimal(bill.discount) else [],
        "totalNet": _money(bill.subtotal, currency),
        "totalGross": _money(bill.total, currency),
    }


def _reconciliation(
    rid: str,
    paid: Payment | Refund,
    subject: Subject,
    kind: str,
    said: Mapping[str, Any],
    detail: Mapping[str, Any],
) -> dict[str, Any]:
    """The PaymentReconciliation of money paid or given back (a refund's amount negative): its
    detail of type `kind` saying `detail` before the day, the resource saying `said` after the
    amount."""
    negative = isinstance(paid, Refund)
    detailed: dict[str, Any] = {
        "type": coded(_PAYMENT_TYPE, kind),
        **detail,
        "date": _day(paid.at, subject),
        "amount": _money(paid.amount, paid.currency, negative=negative),
    }
    invoice = _invoice_reference(paid.bill_id)
    if invoice:
        detailed["request"] = invoice
    return {
        "resourceType": "PaymentReconciliation",
        "id": rid,
        "status": "active",
        "created": paid.at.isoformat(),
        "paymentDate": _day(paid.at, subject),
        "paymentAmount": _money(paid.amount, paid.currency, negative=negative),
        **said,
        "detail": [detailed],
    }


def payment(payment: Payment, subject: Subject) -> dict[str, Any]:
    return _reconciliation(
        resource_id("Payment", payment.id),
        payment,
        subject,
        "payment",
        {
            "paymentIdentifier": {"value": str(payment.receipt_number)},
            "disposition": f"{payment.kind} by {payment.method}",
        },
        {},
    )


def refund(refund: Refund, subject: Subject) -> dict[str, Any]:
    return _reconciliation(
        resource_id("Refund", refund.id),
        refund,
        subject,
        "adjustment",
        {"disposition": f"refund: {refund.reason}"},
        {"predecessor": {"value": refund.payment_id}},
    )
