"""A client who asked not to be asked about her results on the phone (seed 001: her service card's
PHONE_WISHES, the call's `mayAskAboutResults` false) is reached without a satisfaction score: the
call is done with none, her copy and its Bundle say none, and a score she volunteers is kept. A
client who may be asked, or stated nothing, is still asked for one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.client_file.fhir_check import bundle_problems
from domain.roles import Role
from tests.api import documents
from tests.api.client_file_support import export_file
from tests.api.flow import JourneyDriver, new_key
from tests.api.test_call_wishes import _card

Clinic = Callable[[], Awaitable[JourneyDriver]]
SCORE_NEEDED = "a reached client's satisfaction is 1 to 5"


async def _due_call(driver: JourneyDriver, asked: bool | None) -> tuple[str, str]:
    """A client with the given phone wish (None: none stated) and her journey's first call due."""
    client = await driver.register_client()
    if asked is not None:
        await _card(driver, client, asked)
    journey = await driver.drive_to("FOLLOW_UP", await driver.start(client))
    await driver.wait_until_due(journey["id"], 1)
    return client, str(journey["id"])


async def _reached(driver: JourneyDriver, jid: str, **score: Any) -> dict[str, Any]:
    return await driver.act(
        documents.COMPLETE_FOLLOW_UP,
        Role.FOLLOW_UP_STAFF,
        journeyId=jid,
        followUpId="fu-1",
        outcome="REACHED",
        idempotencyKey=new_key(),
        **score,
    )


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


async def test_a_client_not_to_be_asked_is_reached_without_a_score(fresh_clinic: Clinic) -> None:
    driver = await fresh_clinic()
    # Given a client who asked staff not to ask her about her results, her first call due
    client, jid = await _due_call(driver, asked=False)
    # When follow-up staff record her reached, with no satisfaction
    result = await _reached(driver, jid)
    # Then the call is done, with no score
    assert result["__typename"] == "JourneyPayload", result
    journey = await driver.journey(jid)
    first = journey["followUps"][0]
    assert (first["status"], first["outcome"], first["satisfaction"]) == ("DONE", "REACHED", None)
    assert journey["history"][-1]["summary"].endswith(" done, not asked about her results")
    # And her copy keeps the call with no score, and its Bundle no satisfaction value
    copy = await export_file(driver, client, new_key())
    assert bundle_problems(copy["fhirBundle"]) == []
    (call,) = copy["file"]["followUpCalls"]
    assert (call["outcome"], call["satisfaction"]) == ("REACHED", None)
    (encounter,) = _resources(copy["fhirBundle"], "Encounter")
    assert encounter["status"] == "finished"
    assert not [o for o in _resources(copy["fhirBundle"], "Observation") if "valueInteger" in o]


async def test_a_score_she_volunteers_is_kept(fresh_clinic: Clinic) -> None:
    driver = await fresh_clinic()
    # Given a client not to be asked, who gives her score all the same
    _, jid = await _due_call(driver, asked=False)
    # When staff record it
    result = await _reached(driver, jid, satisfaction=4)
    # Then it is kept, and one out of range is refused as ever
    assert result["__typename"] == "JourneyPayload", result
    assert (await driver.journey(jid))["followUps"][0]["satisfaction"] == 4
    _, other = await _due_call(driver, asked=False)
    refused = await _reached(driver, other, satisfaction=0)
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [{"field": "satisfaction", "message": SCORE_NEEDED}]


@pytest.mark.parametrize("asked", [True, None], ids=["may-be-asked", "said-nothing"])
async def test_a_client_who_may_be_asked_still_gives_a_score(
    fresh_clinic: Clinic, asked: bool | None
) -> None:
    driver = await fresh_clinic()
    # Given a client who lets staff ask about her results, or said nothing of it
    _, jid = await _due_call(driver, asked=asked)
    # When staff record her reached with no score
    result = await _reached(driver, jid)
    # Then it is refused as before, and the call stays due
    assert result["__typename"] == "ValidationFailed", result
    assert result["problems"] == [{"field": "satisfaction", "message": SCORE_NEEDED}]
    assert (await driver.journey(jid))["followUps"][0]["status"] == "DUE"
