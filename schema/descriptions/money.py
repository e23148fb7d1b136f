"""Descriptions of the money elements the code does not describe where it declares them."""

from __future__ import annotations

DESCRIPTIONS: dict[str, str] = {
    "PriceItemKind": "What a price-list item is; the partner split treats some kinds apart.",
    "PriceItemKind.PROCEDURE": "A procedure.",
    "PriceItemKind.PRODUCT": "A product (filler, toxin, skin care).",
    "PriceItemKind.ANESTHESIA": "Anesthesia.",
    "PriceItemKind.LAB_TEST": "A laboratory test.",
    "PriceItemKind.HOSPITAL_STAY": "A hospital stay.",
    "PriceItemKind.IV": "An IV drip.",
    "PriceItemKind.CONSUMABLE": "A high-cost consumable, with its cost to the clinic.",
    "PartnerStaffTreatment.NONE": "Any client but a referring partner's staff or relative.",
    "PartnerStaffTreatment.WITHOUT_CONSUMABLES": "The partner's staff or relative, treated "
    "without high-cost consumables: they pay 40 % of list.",
    "PartnerStaffTreatment.WITH_CONSUMABLES": "The partner's staff or relative, treated "
    "with high-cost consumables: they pay 45 % of list.",
    "Mutation.setPriceListItem(input)": "The item's code and its new prices and validity.",
}
DESCRIPTIONS.update(
    {
        "Mutation.createBill(input)": "The journey, the lines and any discount.",
        "Mutation.confirmBill(input)": "The bill and the client's signature.",
        "Mutation.setBillingSettings(input)": "The clinic's new money settings.",
        "Mutation.recordRefund(input)": "The payment, the amount and the reason.",
        "PaymentPolicy": "When a journey's payment stage passes.",
        "PaymentPolicy.FULL": "The whole bill paid, or an installment plan agreed.",
        "PaymentPolicy.DEPOSIT": "A deposit paid; the rest is due before treatment starts.",
    }
)
