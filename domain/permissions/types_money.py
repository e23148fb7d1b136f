"""Rows of the permission table: money (the price list, bills, payments, refunds), partners and
the consultants' figures."""

from __future__ import annotations

from domain.permissions.audiences import (
    CLINIC_STAFF,
    MONEY,
    MONEY_VIEW,
    SUPERVISORS,
    Audience,
    rows,
)

MONEY_TYPES: dict[str, dict[str, Audience]] = {
    # Money. An amount is readable wherever the field holding it is.
    "Money": rows(CLINIC_STAFF, "amount currency formatted"),
    "PriceListItem": {
        **rows(
            CLINIC_STAFF,
            "id code version kind name listPrice specialPrice minorProcedure validFrom validTo"
            " setBy setAt setByStaff",
        ),
        "consumableCost": MONEY,
    },
    "PriceListItemPayload": rows(SUPERVISORS, "item"),
    "Bill": rows(
        MONEY,
        "id journeyId lines subtotal discount discountReason discountGrantedBy"
        " discountGrantedByStaff total paid"
        " refunded outstanding confirmation payments installments refunds partnerStaff createdBy"
        " createdAt createdByStaff",
    ),
    "BillLine": rows(
        MONEY,
        "priceItemId code kind name quantity listPrice unitPrice atSpecialPrice minorProcedure"
        " consumableCost lineTotal",
    ),
    "Installment": rows(MONEY, "seq dueOn amount overdue"),
    "BillConfirmation": rows(MONEY, "signerName signatureFormat witnessId witness confirmedAt"),
    "Payment": rows(
        MONEY, "id kind method amount receiptNumber recordedBy recordedAt refunds recordedByStaff"
    ),
    "Refund": rows(
        MONEY,
        "id paymentId amount reason beforeTreatment kind recordedBy recordedAt recordedByStaff",
    ),
    "BillPayload": rows(MONEY, "bill"),
    "BillingSettings": rows(CLINIC_STAFF, "currency locale discountThresholdPercent paymentPolicy"),
    "BillingSettingsPayload": rows(SUPERVISORS, "settings"),
    "RefundPayload": rows(MONEY, "refund journey"),
    "BillingHistory": rows(
        MONEY,
        "currency currencies months mostBought bills paid outstanding outstandingOnInstallments",
    ),
    "MonthSpending": rows(MONEY, "month paid refunded net"),
    "ItemBought": rows(MONEY, "code name kind quantity spent"),
    "BillStanding": rows(MONEY, "billId journeyId total paid refunded outstanding onInstallments"),
    # Partners: supervisors; cashiers read what they pay out.
    "ConsultantFigures": rows(
        SUPERVISORS,
        "consultantId firstVisits deals conversionRate revenueCredited averageTicket",
    ),
    "Partner": rows(
        MONEY_VIEW,
        "id name version agreementReference bankDetails premisesPhotoIds registeredAt"
        " reportedAt missingMaterials deadlines",
    ),
    "PartnerDeadline": rows(MONEY_VIEW, "milestone dueAt lapsed"),
    "RegisterPartnerPayload": rows(SUPERVISORS, "partner"),
    "PartnerStatement": rows(MONEY_VIEW, "partner month lines totalSold totalPartnerShare csv"),
    "PartnerStatementLine": rows(
        MONEY_VIEW, "journeyId paidAt itemKind rule priceSold base partnerShare"
    ),
}
