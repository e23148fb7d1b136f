"""A treatment record's times are of the treatment just done (found by a hostile pass: one begun
in year 1, or ending tomorrow, was kept as given, the journey moved on): each is refused by
field, the journey stays in TREATMENT, and the times of a treatment just done still pass."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver

NOW = datetime.now(UTC)
LONG_AGO = "0001-01-01T00:00:00Z"


def _record(driver: JourneyDriver, jid: str, **times: str) -> dict[str, Any]:
    return {
        "journeyId": jid,
        "performerId": driver.staff[Role.EXPERT].global_id,
        "procedure": "cheek filler",
        "products": [],
        **times,
    }


@pytest.mark.parametrize(
    ("times", "fields"),
    [
        ({"startedAt": LONG_AGO}, ["startedAt"]),
        ({"startedAt": (NOW - timedelta(days=400)).isoformat()}, ["startedAt"]),
        ({"endedAt": (NOW + timedelta(days=1)).isoformat()}, ["endedAt"]),
        ({"startedAt": LONG_AGO, "endedAt": "9999-12-31T23:59:59Z"}, ["startedAt", "endedAt"]),
    ],
    ids=["in year 1", "400 days back", "ending tomorrow", "from year 1 to 9999"],
)
async def test_a_treatment_time_long_ago_or_to_come_is_refused(
    driver: JourneyDriver, times: dict[str, str], fields: list[str]
) -> None:
    jid = (await driver.drive_to("TREATMENT"))["id"]
    await driver.start_treatment(jid)
    refused = await driver.act(
        documents.COMPLETE_TREATMENT, Role.EXPERT, **_record(driver, jid, **times)
    )
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == fields
    assert (await driver.journey(jid))["stage"] == "TREATMENT"


async def test_the_times_of_a_treatment_just_done_pass(driver: JourneyDriver) -> None:
    jid = (await driver.drive_to("TREATMENT"))["id"]
    await driver.start_treatment(jid)
    began = datetime.now(UTC) - timedelta(minutes=50)
    times = {"startedAt": began.isoformat(), "endedAt": (began + timedelta(minutes=45)).isoformat()}
    done = await driver.ok(
        documents.COMPLETE_TREATMENT, Role.EXPERT, **_record(driver, jid, **times)
    )
    assert done["stage"] == "HANDOVER"
