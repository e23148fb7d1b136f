"""The vocabulary of money: price-list kinds, payment policies and the defaults of a clinic."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class PriceItemKind(str, Enum):
    PROCEDURE = "PROCEDURE"
    PRODUCT = "PRODUCT"
    ANESTHESIA = "ANESTHESIA"
    LAB_TEST = "LAB_TEST"
    HOSPITAL_STAY = "HOSPITAL_STAY"
    IV = "IV"
    CONSUMABLE = "CONSUMABLE"


class PaymentPolicy(str, Enum):
    """When the payment stage passes (DOMAIN "Payment")."""

    # Only the whole bill paid (or an installment plan agreed) moves the journey on.
    FULL = "FULL"
    # A deposit moves it on; the rest is due before treatment starts.
    DEPOSIT = "DEPOSIT"


@dataclass(frozen=True)
class BillingSettings:
    currency: str = "EUR"
    locale: str = "pl_PL"
    # A discount above this share of the bill's subtotal needs a supervisor.
    discount_threshold_percent: int = 10
    payment_policy: PaymentPolicy = PaymentPolicy.FULL


DEFAULT_SETTINGS = BillingSettings()
