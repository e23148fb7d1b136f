"""Who the desk counts as a first visit, and who it routes past the rotation, as seed 004's
"各科登记状态" and seed 003's partner rules say, through the real server."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from domain.roles import Role
from schema.triage import assign
from schema.triage.arrival import PARTNER_UNREFERRED
from tests.api import documents
from tests.api.harness import Api
from tests.api.partner_documents import REGISTER as REGISTER_PARTNER
from tests.api.partner_documents import SALON
from tests.api.test_desk_notes import ASSIGN_PROBLEMS
from tests.api.test_triage_api import AUTO_ASSIGN, _desk_clinic


def _aged(years: float) -> str:
    """A birth date half a year from any birthday, so the clinic's day and UTC's agree on it."""
    return (date.today() - timedelta(days=round(years * 365.25))).isoformat()


async def _started(
    api: Api, token: str, name: str, birth_date: str, **start: str
) -> dict[str, Any]:
    registered = await api.run(
        documents.REGISTER_CLIENT,
        token,
        input={
            "fullName": name,
            "birthDate": birth_date,
            "phone": "+48 600 000 060",
            "dataConsent": True,
            "registerAnyway": True,  # shared test data, another person
        },
    )
    client = registered["registerClient"]["client"]["id"]
    started = await api.run(documents.START_JOURNEY, token, input={"clientId": client, **start})
    journey: dict[str, Any] = started["startJourney"]["journey"]
    return journey


async def test_a_newcomer_of_sixty_or_over_is_other_given_in_order_and_not_a_turn(
    api: Api,
) -> None:
    # Given a desk, and three clients with no earlier record: 65, just past 60, and 59
    _, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    older = await _started(api, desk, "Zofia Starsza", _aged(65.5))
    sixty = await _started(api, desk, "Jan Sześćdziesiąt", _aged(60.5))
    younger = await _started(api, desk, "Ewa Młodsza", _aged(59.5))
    # (and one of 65 an existing client sent, whose referrer's consultant the desk looks for)
    sent = await _started(api, desk, "Anna Polecona", _aged(65.5), channel="CLIENT_REFERRAL")
    assert sent["visitCategory"] == "FIRST_VISIT", sent

    # Then the two of 60 and over are registered as "other" (seed 004: "60岁以上顾客"), the
    # younger one as a first visit
    assert [j["visitCategory"] for j in (older, sixty, younger)] == [
        "OTHER",
        "OTHER",
        "FIRST_VISIT",
    ]

    # And the desk gives the older ones out in rotation order without counting a turn, and
    # the first visit goes to the rotation's first consultant, a turn
    decisions = []
    for journey in (older, sixty, younger):
        answer = await api.run(AUTO_ASSIGN, desk, input={"journeyId": journey["id"]})
        decisions.append(answer["autoAssign"]["decision"])
    assert [(d["consultantId"], d["counted"], d["route"]) for d in decisions] == [
        (consultants[0], False, "IN_ORDER_UNCOUNTED"),
        (consultants[1], False, "IN_ORDER_UNCOUNTED"),
        (consultants[0], True, "ROTATION"),
    ]
    assert decisions[0]["categoryReason"] == "aged 60 or over: category other"


async def test_a_designated_consultant_is_named_only_for_a_client_a_partner_referred(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a desk, a partner salon, a walk-in and a client the salon referred, both first visits
    _, staff, consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    salon = await api.run(REGISTER_PARTNER, supervisor, input=SALON)
    partner = salon["registerPartner"]["partner"]["id"]
    walk_in = await _started(api, desk, "Ola Z Ulicy", _aged(30.5))
    referred = await _started(
        api, desk, "Ewa Z Salonu", _aged(30.5), channel="PARTNER_REFERRAL", partnerId=partner
    )
    designated = consultants[3]

    # When the front desk names the salon's designated consultant for the walk-in
    arrival = {"journeyId": walk_in["id"], "partnerConsultantId": designated}
    refused = (await api.run(ASSIGN_PROBLEMS, desk, input=arrival))["autoAssign"]
    # Then it is refused (seed 003: only an A-class salon's clients go to its consultant)
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [{"field": "partnerConsultantId", "message": PARTNER_UNREFERRED}]
    # While the referred client goes to the designated consultant, a turn
    sent = {"journeyId": referred["id"], "partnerConsultantId": designated}
    decision = (await api.run(AUTO_ASSIGN, desk, input=sent))["autoAssign"]["decision"]
    assert (decision["consultantId"], decision["counted"], decision["route"]) == (
        designated,
        True,
        "PARTNER",
    )
    # And the walk-in takes its place in the rotation
    rotation = await api.run(AUTO_ASSIGN, desk, input={"journeyId": walk_in["id"]})
    assert rotation["autoAssign"]["decision"]["route"] == "ROTATION", rotation

    # And an arrival the desk took before the rule is answered on retry as the first time
    earlier = await _started(api, desk, "Iga Wcześniej", _aged(30.5))
    before = {
        "journeyId": earlier["id"],
        "partnerConsultantId": designated,
        "idempotencyKey": str(uuid.uuid4()),
    }

    async def unchecked(*_: Any) -> None:
        return None

    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(assign, "unreferred_partner_client", unchecked)
        first = await api.run(AUTO_ASSIGN, desk, input=before)
    assert first["autoAssign"]["decision"]["route"] == "PARTNER", first
    assert await api.run(AUTO_ASSIGN, desk, input=before) == first
