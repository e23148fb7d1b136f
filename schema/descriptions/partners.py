"""Partners and consultant figures: the enums from `domain/` and the operations' arguments."""

from __future__ import annotations

DESCRIPTIONS = {
    "Query.consultantFigures(clinicId)": "Your clinic's id (`StaffMember.clinicId`).",
    "Query.consultantFigures(month)": "The month, as YYYY-MM, in the clinic's calendar.",
    "Query.partnerStatement(partnerId)": "The partner (a `Partner` id).",
    "Query.partnerStatement(month)": "The month, as YYYY-MM, in the clinic's calendar.",
    "Mutation.registerPartner(input)": "What to do; see the input type.",
    "PartnerMilestone": "A deadline a new partner salon must meet (seed 003 新店报备).",
    "PartnerMilestone.REGISTERED": "Registered with agreement, bank details and premises "
    "photos, within 1 month and 5 days of the first report.",
    "PartnerMilestone.FIRST_CONSULTATION": "A first client sent for consultation, within 3 months.",
    "PartnerMilestone.FIRST_DEAL": "A first referred client who paid, within 6 months.",
    "PartnerSplitRule": "Which rule of seed 003 (市场部返款原则) decided a line's share.",
    "PartnerSplitRule.EXCLUDED_ITEM": "Anesthesia, lab test, hospital stay or IV: the partner "
    "gets nothing.",
    "PartnerSplitRule.PARTNER_STAFF_PRICE": "The partner's own staff or relatives, treated at "
    "40 % of list (45 % with consumables): a discount, nothing shared.",
    "PartnerSplitRule.SPECIAL_PRICE_MINOR": "A special-price minor procedure sold below 80 % of "
    "list: the partner gets 10 % of the special price.",
    "PartnerSplitRule.HALF_AND_HALF": "A normal deal: 50 % of the price less high-cost "
    "consumables.",
}
