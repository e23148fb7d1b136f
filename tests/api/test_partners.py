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

from domain.roles import Role
from domain.store.partners import PartnerLapse
from schema.ids import decode_id
from tests.api import documents
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver, new_key

FreshClinic = Callable[[], Awaitable[JourneyDriver]]

REGISTER = """
mutation Register($input: RegisterPartnerInput!) {
  registerPartner(input: $input) {
    __typename
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
    ... on RegisterPartnerPayload {
      partner { id name version bankDetails premisesPhotoIds missingMaterials reportedAt
                deadlines { milestone dueAt lapsed } }
    }
  }
}"""
STATEMENT = """
query Statement($partnerId: ID!, $month: String!) {
  partnerStatement(partnerId: $partnerId, month: $month) {
    __typename
    ... on UserError { code message }
    ... on PartnerStatement {
      month partner { name version }
      lines { journeyId itemKind rule priceSold { amount currency } base { amount currency }
              partnerShare { amount currency } }
      totalSold { amount currency } totalPartnerShare { amount currency } csv
    }
  }
}"""
FIGURES = """
query Figures($clinicId: ID!, $month: String!) {
  consultantFigures(clinicId: $clinicId, month: $month) {
    consultantId firstVisits deals conversionRate
    revenueCredited { amount currency } averageTicket { amount currency }
  }
}"""
PARTNERS = """
query { partners { id version } lapsed: partners(lapsedOnly: true) { id } }"""
LAPSED = "query { partners(lapsedOnly: true) { id deadlines { lapsed } } }"
SALON = {"name": "Salon Róża", "agreementReference": "AG-2026-17", "premisesPhotoIds": ["ph-1"]}


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
    # When the salon's client arrives and pays the plan's 1200.00 EUR
    journey = await d.start(client_id, channel="PARTNER_REFERRAL", partnerId=partner["id"])
    await d.drive_to("TREATMENT", journey)

    # Then the month's statement has one 50:50 line: 1200.00 / 2 = 600.00 (a payment carries no
    # item lines yet: it is read as one procedure at its amount)
    month = datetime.now(ZoneInfo("Europe/Warsaw")).strftime("%Y-%m")
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
