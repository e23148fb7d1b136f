"""Partners over the real API: a supervisor registers a salon in versions, the desk records a
client it sent, the cashier takes the money, and the month's statement and consultant figures
show the split and the credit."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from domain.roles import Role
from domain.store.partners import PartnerLapse
from schema.ids import decode_id
from schema.journeys import reception
from tests.api import documents
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import clinic_month
from tests.api.money_support import (
    CREATE_BILL,
    RECORD_REFUND,
    bill_of,
    billed_journey,
    eur,
    money_call,
    payment,
    set_item,
)
from tests.api.partner_documents import REGISTER, SALON, STATEMENT

FreshClinic = Callable[[], Awaitable[JourneyDriver]]

FIGURES = """
query Figures($clinicId: ID!, $month: String!) {
  consultantFigures(clinicId: $clinicId, month: $month) {
    consultantId firstVisits deals conversionRate
    revenueCredited { amount currency } averageTicket { amount currency }
  }
}"""
PARTNERS = """
query { partners { id version } lapsed: partners(lapsedOnly: true) { id } }"""
BILL_FLAGS = "query B($id: ID) { bill(id: $id) { partnerStaff lines { minorProcedure } } }"
LAPSED = "query { partners(lapsedOnly: true) { id deadlines { lapsed } } }"


async def test_a_partner_registers_sends_a_client_and_its_statement_splits_the_deal(
    fresh_clinic: FreshClinic,
) -> None:
    d = await fresh_clinic()
    api, supervisor, cashier = d.api, d.token(Role.SUPERVISOR), d.token(Role.CASHIER)

    async def register(token: str, **input: Any) -> dict[str, Any]:
        return (await api.run(REGISTER, token, input=input))["registerPartner"]  # type: ignore[no-any-return]

    # Only a supervisor registers; bad input is refused field by field, nothing written
    assert (await register(cashier, **SALON))["__typename"] == "NotAuthorized"
    bad = await register(supervisor, name=" ", premisesPhotoIds=["p"] * 21)
    assert bad["__typename"] == "ValidationFailed"
    assert {p["field"] for p in bad["problems"]} == {"name", "premisesPhotoIds"}

    # Given a salon reported without bank details: incomplete, its three deadlines running
    key = new_key()
    first = await register(supervisor, **SALON, idempotencyKey=key)
    assert first["__typename"] == "RegisterPartnerPayload", first
    partner = first["partner"]
    assert (partner["version"], partner["missingMaterials"]) == (1, ["bankDetails"])
    assert [(x["milestone"], x["lapsed"]) for x in partner["deadlines"]] == [
        ("REGISTERED", False),
        ("FIRST_CONSULTATION", False),
        ("FIRST_DEAL", False),
    ]
    # A retry is the first answer; the key with another input is a conflict
    assert await register(supervisor, **SALON, idempotencyKey=key) == first
    other = await register(supervisor, **{**SALON, "name": "Other"}, idempotencyKey=key)
    assert other["__typename"] == "Conflict"
    # When the bank details come, a second version completes it; the clock keeps its start
    second = await register(
        supervisor, **SALON, partnerId=partner["id"], bankDetails="PL61 1090 1014 0000 0712"
    )
    assert second["__typename"] == "RegisterPartnerPayload", second
    assert (second["partner"]["version"], second["partner"]["missingMaterials"]) == (2, [])
    assert second["partner"]["id"] == partner["id"]
    assert second["partner"]["reportedAt"] == partner["reportedAt"]

    # The clinic's partners list it in its version in force; none has lapsed yet
    listed = await api.run(PARTNERS, cashier)
    assert [(p["id"], p["version"]) for p in listed["partners"]] == [(partner["id"], 2)]
    assert listed["lapsed"] == []

    # A salon that never completes its papers is flagged by its clock when the deadline passes
    # (the clock's months are run on the time-skipping server in the workflow tests; here the
    # flag it writes is read back)
    idle = await register(supervisor, name="Salon Idle")
    idle_id = idle["partner"]["id"]
    first_due = idle["partner"]["deadlines"][0]["dueAt"]
    await PartnerLapse.create(
        clinic_id=await clinic_of(d),
        partner_id=decode_id(idle_id, "Partner"),
        milestone="REGISTERED",
        due_at=datetime.fromisoformat(first_due),
        flagged_at=datetime.now(ZoneInfo("UTC")),
    )
    listed = await api.run(LAPSED, supervisor)
    assert listed["partners"] == [
        {"id": idle_id, "deadlines": [{"lapsed": True}, {"lapsed": False}, {"lapsed": False}]}
    ]

    # A partner id only goes with a partner referral
    client_id = await d.register_client("Ewa Partnerska")
    wrong = await d.act(
        documents.START_JOURNEY, Role.FRONT_DESK, clientId=client_id, partnerId=partner["id"]
    )
    assert wrong["__typename"] == "ValidationFailed"
    # And a partner referral names its salon (seed 003: a salon's client is reported with the
    # salon, "所属店家", before arriving): unnamed, its deals would reach no statement
    unnamed = await d.act(
        documents.START_JOURNEY, Role.FRONT_DESK, clientId=client_id, channel="PARTNER_REFERRAL"
    )
    assert unnamed["__typename"] == "ValidationFailed", unnamed
    assert [p["field"] for p in unnamed["problems"]] == ["partnerId"]
    # When the salon's client arrives and pays the plan's 1200.00 EUR
    journey = await d.start(client_id, channel="PARTNER_REFERRAL", partnerId=partner["id"])
    await d.drive_to("TREATMENT", journey)

    # Then the month's statement has one 50:50 line: 1200.00 / 2 = 600.00 (a payment without a
    # bill carries no item lines: it is read as one procedure at its amount; the journey's
    # record of it and its payment row are one payment, counted once)
    month = clinic_month()
    statement = (await api.run(STATEMENT, cashier, partnerId=partner["id"], month=month))[
        "partnerStatement"
    ]
    assert statement["__typename"] == "PartnerStatement", statement
    eur = {"currency": "EUR"}
    assert statement["lines"] == [
        {
            "journeyId": journey["id"],
            "itemKind": "PROCEDURE",
            "rule": "HALF_AND_HALF",
            "priceSold": {"amount": "1200.00", **eur},
            "base": {"amount": "1200.00", **eur},
            "partnerShare": {"amount": "600.00", **eur},
        }
    ]
    assert statement["totalPartnerShare"] == [{"amount": "600.00", **eur}]
    rows = list(csv.reader(io.StringIO(statement["csv"])))
    assert rows[0][:4] == ["journey_id", "paid_at", "item_kind", "rule"]
    assert [(r[0], r[5], r[8], r[9]) for r in rows[1:]] == [
        (rows[1][0], "1200.00", "600.00", "EUR"),
        ("TOTAL", "1200.00", "600.00", "EUR"),
    ]
    # Another month is empty; a malformed month and an unknown partner are typed errors
    empty = await api.run(STATEMENT, cashier, partnerId=partner["id"], month="2001-01")
    assert empty["partnerStatement"]["lines"] == []
    bad_month = await api.run(STATEMENT, cashier, partnerId=partner["id"], month="2026-13")
    assert bad_month["partnerStatement"]["__typename"] == "ValidationFailed"
    unknown = await api.run(STATEMENT, cashier, partnerId="UGFydG5lcjp4", month=month)
    assert unknown["partnerStatement"]["__typename"] == "NotFound"

    # And the consultant who served the client is credited the 1200.00
    clinic = await clinic_of(d)
    figures = (await api.run(FIGURES, supervisor, clinicId=clinic, month=month))[
        "consultantFigures"
    ]
    consultant = d.staff[Role.CONSULTANT].global_id
    # (1 first visit, 1 deal: 1/1; 1200.00 from 1 journey: average 1200.00)
    assert figures == [
        {
            "consultantId": consultant,
            "firstVisits": 1,
            "deals": 1,
            "conversionRate": 1.0,
            "revenueCredited": [{"amount": "1200.00", **eur}],
            "averageTicket": [{"amount": "1200.00", **eur}],
        }
    ]
    assert (await api.run(FIGURES, supervisor, clinicId=clinic, month="2026-1"))[
        "consultantFigures"
    ] == []


async def test_a_referred_clients_bill_is_split_line_by_line_and_its_refund_taken_back(
    fresh_clinic: FreshClinic,
) -> None:
    d = await fresh_clinic()
    cashier, supervisor = d.token(Role.CASHIER), d.token(Role.SUPERVISOR)
    registered = await d.api.run(REGISTER, supervisor, input={**SALON, "bankDetails": "PL61"})
    partner_id = registered["registerPartner"]["partner"]["id"]
    # Given a price list: a procedure, anesthesia, a high-cost consumable costing the clinic
    # 200.00, and a special-price minor procedure (list 500.00, special 300.00)
    procedure = await set_item(d, listPrice=eur("1000.00"))
    anesthesia = await set_item(d, kind="ANESTHESIA", listPrice=eur("100.00"))
    thread = await set_item(
        d, kind="CONSUMABLE", listPrice=eur("300.00"), consumableCost=eur("200.00")
    )
    minor = await set_item(
        d, listPrice=eur("500.00"), specialPrice=eur("300.00"), minorProcedure=True
    )
    listed = await d.api.run("query { priceList { id minorProcedure } }", cashier)
    flags = {i["id"]: i["minorProcedure"] for i in listed["priceList"]}
    assert (flags[minor["id"]], flags[procedure["id"]]) == (True, False)

    # When the salon's client is billed 1000.00 + 100.00 + 300.00 + 300.00 = 1700.00, pays it
    # in full, and is given 340.00 back (a fifth of the bill)
    referred = await d.start(
        await d.register_client("Ewa Partnerska"), channel="PARTNER_REFERRAL", partnerId=partner_id
    )
    lines = [
        {"priceItemId": procedure["id"]},
        {"priceItemId": anesthesia["id"]},
        {"priceItemId": thread["id"]},
        {"priceItemId": minor["id"], "atSpecialPrice": True},
    ]
    journey, bill = await billed_journey(d, lines, journey=referred)
    kept = await d.api.run(BILL_FLAGS, cashier, id=bill["id"])
    assert kept["bill"] == {
        "partnerStaff": "NONE",
        "lines": [{"minorProcedure": flag} for flag in (False, False, False, True)],
    }
    await d.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(bill, "1700.00", "FULL"))
    (paid,) = (await bill_of(d, journey["id"]))["payments"]
    refund = {"paymentId": paid["id"], "amount": eur("340.00"), "reason": "one area less"}
    given = await money_call(d, RECORD_REFUND, Role.CASHIER, **refund)
    assert given["__typename"] == "RefundPayload", given

    # Then the statement has the bill's four lines sold, then a fifth of each taken back:
    #   procedure 1000.00, 50:50 of 1000.00           -> 500.00;  refund -200.00 -> -100.00
    #   anesthesia 100.00, outside the split           ->   0.00;  refund  -20.00 ->    0.00
    #   thread 300.00 less its cost 200.00 = 100.00    ->  50.00;  refund  -60.00, cost 40.00:
    #                                                     -20.00 -> -10.00
    #   minor procedure at 300.00 < 80 % of 500.00, 10 % -> 30.00;  refund  -60.00 against a
    #                                                     list of 100.00 -> -6.00
    # sold 1700.00 - 340.00 = 1360.00; the partner's share 580.00 - 116.00 = 464.00
    month = clinic_month()
    data = await d.api.run(STATEMENT, cashier, partnerId=partner_id, month=month)
    statement = data["partnerStatement"]
    assert statement["__typename"] == "PartnerStatement", statement
    got = [
        (
            line["itemKind"],
            line["rule"],
            line["priceSold"]["amount"],
            line["base"]["amount"],
            line["partnerShare"]["amount"],
        )
        for line in statement["lines"]
    ]
    assert got == [
        ("PROCEDURE", "HALF_AND_HALF", "1000.00", "1000.00", "500.00"),
        ("ANESTHESIA", "EXCLUDED_ITEM", "100.00", "0.00", "0.00"),
        ("CONSUMABLE", "HALF_AND_HALF", "300.00", "100.00", "50.00"),
        ("PROCEDURE", "SPECIAL_PRICE_MINOR", "300.00", "300.00", "30.00"),
        ("PROCEDURE", "HALF_AND_HALF", "-200.00", "-200.00", "-100.00"),
        ("ANESTHESIA", "EXCLUDED_ITEM", "-20.00", "0.00", "0.00"),
        ("CONSUMABLE", "HALF_AND_HALF", "-60.00", "-20.00", "-10.00"),
        ("PROCEDURE", "SPECIAL_PRICE_MINOR", "-60.00", "-60.00", "-6.00"),
    ]
    assert statement["totalSold"] == [eur("1360.00")]
    assert statement["totalPartnerShare"] == [eur("464.00")]

    # And the consultant's month, counted by hand: 1 first visit, paid (1/1); credited
    # 1700.00 - 340.00 = 1360.00 from 1 journey: an average ticket of 1360.00
    clinic = await clinic_of(d)
    figures = (await d.api.run(FIGURES, supervisor, clinicId=clinic, month=month))[
        "consultantFigures"
    ]
    assert figures == [
        {
            "consultantId": d.staff[Role.CONSULTANT].global_id,
            "firstVisits": 1,
            "deals": 1,
            "conversionRate": 1.0,
            "revenueCredited": [eur("1360.00")],
            "averageTicket": [eur("1360.00")],
        }
    ]


async def test_a_partners_own_staff_pay_their_share_of_list_and_owe_the_partner_nothing(
    fresh_clinic: FreshClinic,
) -> None:
    # Seed 003 rule 10: "店家及店家员工或亲属以打版形式到院接受手术或治疗的,按照无耗材手术4折
    # 有耗材手术4.5折予以优惠": 40 % of list without high-cost consumables, 45 % with them
    d = await fresh_clinic()
    cashier = d.token(Role.CASHIER)
    registered = await d.api.run(
        REGISTER, d.token(Role.SUPERVISOR), input={**SALON, "bankDetails": "PL61"}
    )
    partner_id = registered["registerPartner"]["partner"]["id"]
    procedure = await set_item(d, listPrice=eur("1000.00"), specialPrice=eur("700.00"))
    thread = await set_item(
        d, kind="CONSUMABLE", listPrice=eur("300.00"), consumableCost=eur("200.00")
    )

    async def bill(journey: dict[str, Any], lines: list[Any], staff: str) -> dict[str, Any]:
        input = {"journeyId": journey["id"], "lines": lines, "partnerStaff": staff}
        return await money_call(d, CREATE_BILL, Role.CASHIER, **input)

    # A walk-in has no salon whose staff they could be: refused, nothing written
    walk_in = await d.drive_to("PAYMENT", await d.start())
    refused = await bill(walk_in, [{"priceItemId": procedure["id"]}], "WITHOUT_CONSUMABLES")
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["partnerStaff"]
    assert await bill_of(d, walk_in["id"]) is None

    staff = await d.start(
        await d.register_client("Ola Salonowa"), channel="PARTNER_REFERRAL", partnerId=partner_id
    )
    staff = await d.drive_to("PAYMENT", staff)
    # A thread billed as "without consumables" would be charged 40 % where the rule says 45 %;
    # a special price besides the staff's price would price the line twice
    wrong = await bill(
        staff,
        [{"priceItemId": procedure["id"]}, {"priceItemId": thread["id"]}],
        "WITHOUT_CONSUMABLES",
    )
    assert [p["field"] for p in wrong["problems"]] == ["partnerStaff"]
    twice = await bill(
        staff, [{"priceItemId": procedure["id"], "atSpecialPrice": True}], "WITH_CONSUMABLES"
    )
    assert [p["field"] for p in twice["problems"]] == ["lines[0].atSpecialPrice"]
    assert await bill_of(d, staff["id"]) is None

    # When the salon's own staff member is billed the procedure and a thread, with consumables
    _, staff_bill = await billed_journey(
        d,
        [{"priceItemId": procedure["id"]}, {"priceItemId": thread["id"]}],
        journey=staff,
        partnerStaff="WITH_CONSUMABLES",
    )
    # Then each line is 45 % of its list: 1000.00 -> 450.00, 300.00 -> 135.00; 585.00 in all
    assert [line["unitPrice"]["amount"] for line in staff_bill["lines"]] == ["450.00", "135.00"]
    assert staff_bill["total"]["amount"] == "585.00"
    kept = await d.api.run(BILL_FLAGS, cashier, id=staff_bill["id"])
    assert kept["bill"]["partnerStaff"] == "WITH_CONSUMABLES"
    # And paid in full, it owes the partner nothing: rule 10 is a price, not a deal to share
    await d.ok(documents.RECORD_PAYMENT, Role.CASHIER, **payment(staff_bill, "585.00", "FULL"))
    data = await d.api.run(STATEMENT, cashier, partnerId=partner_id, month=clinic_month())
    statement = data["partnerStatement"]
    assert [
        (line["rule"], line["priceSold"]["amount"], line["partnerShare"]["amount"])
        for line in statement["lines"]
    ] == [("PARTNER_STAFF_PRICE", "450.00", "0.00"), ("PARTNER_STAFF_PRICE", "135.00", "0.00")]
    assert statement["totalPartnerShare"] == [eur("0.00")]


async def test_a_partner_referral_started_without_its_salon_before_the_rule_is_answered_on_retry(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a partner referral naming no salon, started as a release before the rule let it be
    d = await fresh_clinic()
    start = {
        "clientId": await d.register_client("Ewa Bez Salonu"),
        "channel": "PARTNER_REFERRAL",
        "idempotencyKey": new_key(),
    }
    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(reception, "_salon_unnamed", lambda input: False)
        first = await d.act(documents.START_JOURNEY, Role.FRONT_DESK, **start)
    assert first["__typename"] == "JourneyPayload", first
    # When it is retried with its key, it is answered as the first time
    assert await d.act(documents.START_JOURNEY, Role.FRONT_DESK, **start) == first
    # While the same start under a new key is refused
    fresh = await d.act(
        documents.START_JOURNEY, Role.FRONT_DESK, **{**start, "idempotencyKey": new_key()}
    )
    assert fresh["__typename"] == "ValidationFailed", fresh
    assert [p["field"] for p in fresh["problems"]] == ["partnerId"]
