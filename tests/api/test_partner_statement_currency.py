"""A partner statement in a currency without cents, over the real API: the partner's share is
paid in whole yen in the lines, the total and the accountant's CSV alike."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable

from domain.roles import Role
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver
from tests.api.harness import clinic_month
from tests.api.money_support import SET_SETTINGS, money_call
from tests.api.partner_documents import REGISTER, SALON, STATEMENT

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def test_a_yen_statement_pays_the_partner_whole_yen(fresh_clinic: FreshClinic) -> None:
    # Given a clinic billing in yen and a salon of its partners
    d = await fresh_clinic()
    cashier, supervisor = d.token(Role.CASHIER), d.token(Role.SUPERVISOR)
    yen = {"currency": "JPY", "locale": "en_GB", "discountThresholdPercent": 10}
    await money_call(d, SET_SETTINGS, Role.SUPERVISOR, **yen, paymentPolicy="FULL")
    registered = await d.api.run(REGISTER, supervisor, input={**SALON, "bankDetails": "PL61"})
    partner_id = registered["registerPartner"]["partner"]["id"]
    # When the salon's client pays a plan of ¥12,345 without a bill
    referred = await d.start(
        await d.register_client("Ewa Partnerska"), channel="PARTNER_REFERRAL", partnerId=partner_id
    )
    journey_id = (await d.drive_to("EXPERT_REVIEW", referred))["id"]
    plan = {**PLAN, "price": "12345", "currency": "JPY"}
    approval = {"decision": "APPROVE", "points": "cheeks only", "finalPlan": plan}
    await d.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, journeyId=journey_id, **approval)
    await d.sign_consent(journey_id)
    pay = {"journeyId": journey_id, "amount": "12345", "currency": "JPY", "method": "CASH"}
    await d.ok(documents.RECORD_PAYMENT, Role.CASHIER, **pay, kind="FULL")
    # Then the partner's half, 6172.5, is paid as ¥6,173 (half up) in the lines, the total and
    # the accountant's CSV alike: never half a yen
    asked = await d.api.run(STATEMENT, cashier, partnerId=partner_id, month=clinic_month())
    statement = asked["partnerStatement"]
    assert statement["__typename"] == "PartnerStatement", statement
    share = {"amount": "6173", "currency": "JPY"}
    assert [line["partnerShare"] for line in statement["lines"]] == [share]
    assert statement["totalPartnerShare"] == [share]
    rows = list(csv.reader(io.StringIO(statement["csv"])))
    assert [(r[0], r[5], r[8], r[9]) for r in rows[1:]] == [
        (rows[1][0], "12345", "6173", "JPY"),
        ("TOTAL", "12345", "6173", "JPY"),
    ]
