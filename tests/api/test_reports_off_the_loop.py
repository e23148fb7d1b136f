"""A monthly report folds its month off the event loop: while one folds, the API answers other
requests. Each fold here waits until another request has been answered; folded on the event
loop, it would hold that request up and wait in vain (a bounded wait, then the test fails)."""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.roles import Role
from tests.api.audit_support import clinic_of
from tests.api.busy_month import busy_month
from tests.api.flow import JourneyDriver
from tests.api.harness import clinic_month
from tests.api.hostile import send_graphql

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
JOURNEYS = 30
# How long a fold waits for the other request's answer; the test waits twice that for the fold
# to start, so a fold that held the loop all that time is seen to have waited in vain.
WAIT_AT_MOST = 10.0

# Report -> (the module whose fold it calls, the fold's name there, the field asked).
REPORTS = {
    "consultantFigures": (
        "domain.store.consultant_figures",
        "fold_consultant_months",
        "consultantFigures(clinicId: $clinic, month: $month) { consultantId firstVisits deals"
        " revenueCredited { amount currency } }",
    ),
    "keyItemRanking": (
        "domain.store.key_items",
        "standings",
        "keyItemRanking(clinicId: $clinic, month: $month) { consultantId consultations deals }",
    ),
    "surveyResults": (
        "domain.aftercare.survey",
        "month_results",
        "surveyResults(clinicId: $clinic, month: $month) { ... on SurveyResults {"
        " overall { responses impression lowResponses } byDoctor { key averages { quality } }"
        " byProcedureType { key averages { responses } } } }",
    ),
}


class HeldFold:
    """Wraps a fold so that it starts only once the test releases it, waiting at most
    `WAIT_AT_MOST` seconds on whichever thread it runs."""

    def __init__(self, fold: Callable[..., Any]) -> None:
        self.fold = fold
        self.loop = asyncio.get_running_loop()
        self.started = asyncio.Event()
        self.released = threading.Event()
        self.waited_in_vain = False

    def __call__(self, *args: Any) -> Any:
        self.loop.call_soon_threadsafe(self.started.set)
        if not self.released.wait(WAIT_AT_MOST):
            self.waited_in_vain = True
            raise AssertionError("no other request was answered while the report folded")
        return self.fold(*args)


@pytest.mark.parametrize("report", sorted(REPORTS))
async def test_the_api_answers_other_requests_while_a_report_folds(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch, report: str
) -> None:
    d = await fresh_clinic()
    token = d.token(Role.SUPERVISOR)
    written = await busy_month(await clinic_of(d), JOURNEYS, regular_bills=1)
    module, name, field = REPORTS[report]
    document = f"query Report($clinic: ID!, $month: String!) {{ {field} }}"
    variables = {"clinic": written.clinic_id, "month": clinic_month()}
    # (the answer to compare with, asked plainly: the fold is not held, so there is nothing for
    # /healthz to be watched against, and a loaded machine's pause must not fail the test here)
    unheld = {"data": await d.api.run(document, token, **variables)}
    held = HeldFold(getattr(importlib.import_module(module), name))
    monkeypatch.setattr(f"{module}.{name}", held)
    # Given a supervisor's report whose fold has started
    asked = asyncio.create_task(send_graphql(d.api, document, variables, token=token))
    try:
        async with asyncio.timeout(2 * WAIT_AT_MOST):
            await held.started.wait()
        assert not held.waited_in_vain, "the fold held the event loop: nothing else was answered"
        # When another request is sent meanwhile, then it is answered while the fold waits
        other = await send_graphql(d.api, "query Light { __typename }", token=token)
        assert other.json() == {"data": {"__typename": "Query"}}
    except BaseException:
        asked.cancel()
        raise
    finally:
        held.released.set()
    # And the report is answered once its fold goes on, as it was without the wait
    assert (await asked).json() == unheld
