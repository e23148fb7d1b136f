"""Reports asked many times in one request are refused before any of them runs; a screen's
reports are answered. Thirty aliases of `consultantFigures` fit every other limit and, on a
month of 3,000 first visits, ran until the request deadline stopped them at 30 s."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from domain.roles import Role
from schema.ids import encode_id
from schema.report_cost import MAX_REPORT_WEIGHT, REPORT_WEIGHTS
from tests.api.audit_support import clinic_of
from tests.api.busy_month import BusyMonth, busy_month
from tests.api.flow import JourneyDriver
from tests.api.harness import clinic_month
from tests.api.hostile import send_graphql
from tests.sql_statements import statements_naming

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
JOURNEYS = 60
# The tables the reports read; a refused request reads none of them.
REPORT_TABLES = ('"journey"', '"payment"', '"triage_entry"', '"survey_response"', '"bill"')

FIELDS = {
    "consultantFigures": "consultantFigures(clinicId: $clinic, month: $month) { firstVisits }",
    "keyItemRanking": "keyItemRanking(clinicId: $clinic, month: $month) { consultantId }",
    "surveyResults": "surveyResults(clinicId: $clinic, month: $month) {"
    " ... on SurveyResults { overall { responses } } }",
    "billingHistory": "billingHistory(clientId: $client) { bills { billId } }",
    "partnerStatement": "partnerStatement(partnerId: $partner, month: $month) { __typename }",
}
VARIABLES = {"clinic": "ID!", "month": "String!", "client": "ID!", "partner": "ID!"}


def _document(fields: list[str]) -> str:
    aliased = " ".join(f"r{n}: {FIELDS[name]}" for n, name in enumerate(fields))
    used = ", ".join(
        f"${name}: {kind}" for name, kind in VARIABLES.items() if f"${name}" in aliased
    )
    return f"query Reports({used}) {{ {aliased} }}"


def _refusal(weight: int) -> str:
    weights = ", ".join(f"{name} {w}" for name, w in REPORT_WEIGHTS.items())
    return (
        f"'Reports' asks for reports weighing {weight} in all, more than {MAX_REPORT_WEIGHT} "
        f"({weights}, each time it is asked): ask for fewer of them, or for the rest in "
        "requests of their own"
    )


@pytest.fixture
async def month(fresh_clinic: FreshClinic) -> tuple[JourneyDriver, BusyMonth, dict[str, Any]]:
    d = await fresh_clinic()
    written = await busy_month(await clinic_of(d), JOURNEYS, regular_bills=20)
    variables = {
        "clinic": written.clinic_id,
        "month": clinic_month(),
        "client": encode_id("Client", written.regular_client),
        # No such partner: its statement is NotFound, asked all the same.
        "partner": encode_id("Partner", "p-none"),
    }
    return d, written, variables


async def test_thirty_aliases_of_a_report_are_refused_before_any_runs(
    month: tuple[JourneyDriver, BusyMonth, dict[str, Any]],
) -> None:
    d, _written, variables = month
    # When a supervisor asks for a month's consultant figures thirty times in one request
    with statements_naming(*REPORT_TABLES) as reads:
        answer = await send_graphql(
            d.api,
            _document(["consultantFigures"] * 30),
            variables,
            token=d.token(Role.SUPERVISOR),
        )
    # Then it is refused whole, saying what to change, and nothing of the month was read
    assert answer.error_messages() == [_refusal(30 * REPORT_WEIGHTS["consultantFigures"])]
    assert reads == []


@pytest.mark.parametrize("report", sorted(REPORT_WEIGHTS))
async def test_each_report_may_be_asked_up_to_the_weight_and_no_more(
    month: tuple[JourneyDriver, BusyMonth, dict[str, Any]], report: str
) -> None:
    d, _written, variables = month
    token = d.token(Role.SUPERVISOR)
    most = MAX_REPORT_WEIGHT // REPORT_WEIGHTS[report]
    # Given as many aliases of the report as the weight allows, answered
    answered = await send_graphql(d.api, _document([report] * most), variables, token=token)
    body = answered.json()
    assert "errors" not in body, body
    assert len(body["data"]) == most
    # When one more is asked, then the request is refused before any of them runs (asked
    # plainly: the hostile sender's 3 s /healthz watch, beside the point here, failed once on a
    # machine running both suites)
    with statements_naming(*REPORT_TABLES) as reads:
        refused = await _asked_plainly(d, _document([report] * (most + 1)), variables, token)
    assert refused.get("data") is None, refused
    assert [e["message"] for e in refused["errors"]] == [
        _refusal((most + 1) * REPORT_WEIGHTS[report])
    ]
    assert reads == []


async def _asked_plainly(
    d: JourneyDriver, document: str, variables: dict[str, Any], token: str
) -> dict[str, Any]:
    """The answer's body, whatever its status short of a server error."""
    headers = {"Authorization": f"Bearer {token}"}
    body = {"query": document, "variables": variables}
    async with (
        aiohttp.ClientSession() as http,
        http.post(d.api.url, json=body, headers=headers) as answer,
    ):
        assert answer.status < 500, await answer.text()
        return await answer.json()  # type: ignore[no-any-return]


async def test_a_supervisors_month_on_one_screen_is_answered(
    month: tuple[JourneyDriver, BusyMonth, dict[str, Any]],
) -> None:
    d, _written, variables = month
    # When the supervisor's month screen asks for its figures in one request
    screen = ["consultantFigures", "keyItemRanking", "surveyResults", "billingHistory"]
    answer = await send_graphql(d.api, _document(screen), variables, token=d.token(Role.SUPERVISOR))
    # Then every report is answered, over the whole month
    body = answer.json()
    assert "errors" not in body, body
    figures, _ranking, surveys, history = (body["data"][f"r{n}"] for n in range(4))
    assert sum(f["firstVisits"] for f in figures) == JOURNEYS
    assert surveys["overall"]["responses"] == JOURNEYS
    assert len(history["bills"]) == 20
