"""Who the desk counts as a first visit, and who it routes past the rotation, as seed 004's
"各科登记状态" and seed 003's partner rules say, through the real server."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.harness import Api
from tests.api.test_triage_api import AUTO_ASSIGN, _desk_clinic


def _aged(years: float) -> str:
    """A birth date half a year from any birthday, so the clinic's day and UTC's agree on it."""
    return (date.today() - timedelta(days=round(years * 365.25))).isoformat()


async def _started(api: Api, token: str, name: str, birth_date: str) -> dict[str, Any]:
    registered = await api.run(
        documents.REGISTER_CLIENT,
        token,
        input={
            "fullName": name,
            "birthDate": birth_date,
            "phone": "+48 600 000 060",
            "dataConsent": True,
        },
    )
    client = registered["registerClient"]["client"]["id"]
    started = await api.run(documents.START_JOURNEY, token, input={"clientId": client})
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
