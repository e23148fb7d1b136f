"""A follow-up call's task says whether the client lets staff ask her about her results on the
phone (seed 001's service card): read from her latest PHONE_WISHES entry in force, so a
correction's answer is the one the caller sees and an entry marked entered in error is not;
one statement reads it for every client of a page of tasks, and `tasksChanged` pushes it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.roles import Role
from tests.api.client_file_support import (
    ADD_SERVICE_CARD_ENTRY,
    AMEND_CLIENT_ENTRY,
    MARK_ENTERED_IN_ERROR,
    entry,
    new_key,
)
from tests.api.flow import JourneyDriver
from tests.api.live import pushed_task, reading
from tests.api.rows_read import count_reads
from tests.api.test_rechecks_and_invitations import CLOSE_NOT_CONVERTED

Clinic = Callable[[], Awaitable[JourneyDriver]]

TASK = "id kind journeyId followUpId mayAskAboutResults"
MY_TASKS = f"""
query MyTasks {{
  myTasks(first: 100) {{
    __typename
    ... on FollowUpTaskConnection {{ edges {{ node {{ {TASK} }} }} }}
  }}
}}
"""
TASKS_CHANGED = f"subscription Tasks {{ tasksChanged {{ change task {{ {TASK} }} }} }}"


def _wishes(asked: bool, section: str = "PHONE_WISHES") -> dict[str, Any]:
    fields: dict[str, Any] = {"section": section, "note": "remind her of the recheck"}
    if section == "PHONE_WISHES":
        fields["askAboutResults"] = asked
    return fields


async def _card(driver: JourneyDriver, client: str, asked: bool) -> dict[str, Any]:
    wishes = _wishes(asked)
    return await entry(
        driver,
        ADD_SERVICE_CARD_ENTRY,
        Role.CONSULTANT,
        clientId=client,
        **wishes,
        idempotencyKey=new_key(),
    )


async def _amend(driver: JourneyDriver, entry_id: str, **card: Any) -> dict[str, Any]:
    return await entry(
        driver,
        AMEND_CLIENT_ENTRY,
        Role.CONSULTANT,
        entryId=entry_id,
        reason="she said otherwise",
        serviceCard=card,
        idempotencyKey=new_key(),
    )


async def _called_journey(driver: JourneyDriver, client: str) -> str:
    """Her journey, run to its follow-ups, with the first call due."""
    journey = await driver.drive_to("FOLLOW_UP", await driver.start(client))
    await driver.wait_until_due(journey["id"], 1)
    return str(journey["id"])


async def _calls(driver: JourneyDriver) -> dict[str, dict[str, Any]]:
    """Follow-up staff's first calls, by journey."""
    data = await driver.api.run(MY_TASKS, driver.token(Role.FOLLOW_UP_STAFF))
    nodes = [edge["node"] for edge in data["myTasks"]["edges"]]
    return {n["journeyId"]: n for n in nodes if n["followUpId"] == "fu-1"}


async def test_each_call_says_what_her_latest_phone_wishes_in_force_allow(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = await fresh_clinic()
    # Given a client who first let staff ask about results, then asked them not to, and had
    # that corrected: she does let them
    corrected = await driver.register_client("Anna Nowak")
    await _card(driver, corrected, False)
    later = await _card(driver, corrected, False)
    await _amend(driver, later["id"], **_wishes(True))
    # And one who let them, then said no in an entry marked entered in error
    in_error = await driver.register_client("Ewa Kowalska")
    await _card(driver, in_error, True)
    wrong = await _card(driver, in_error, False)
    await entry(
        driver,
        MARK_ENTERED_IN_ERROR,
        Role.CONSULTANT,
        entryId=wrong["id"],
        reason="another client's wishes",
        idempotencyKey=new_key(),
    )
    # And one whose only PHONE_WISHES entry was corrected into a drinks preference
    moved = await driver.register_client("Maria Wiśniewska")
    only = await _card(driver, moved, False)
    await _amend(driver, only["id"], **_wishes(False, section="PREFERENCE_DRINKS"))
    # And one who let them, then asked them not to, and whose first wish was corrected after
    # (its note reworded): the correction speaks for when she first said it, not for now
    reworded = await driver.register_client("Zofia Lewandowska")
    first = await _card(driver, reworded, True)
    await _card(driver, reworded, False)
    await _amend(
        driver, first["id"], **{**_wishes(True), "note": "remind her of the recheck, twice"}
    )
    # And one with no service card at all
    blank = await driver.register_client("Olga Zielińska")
    journeys = {
        c: await _called_journey(driver, c) for c in (corrected, in_error, moved, reworded, blank)
    }
    # When follow-up staff read their list, counting what reads the client file
    reads = count_reads(monkeypatch, "client_entry")
    calls = await _calls(driver)
    # Then each call says what her wishes in force allow, null where she stated none
    said = {client: calls[jid]["mayAskAboutResults"] for client, jid in journeys.items()}
    expected = {corrected: True, in_error: True, moved: None, reworded: False, blank: None}
    assert said == expected, said
    # And the page of five clients' calls read her wishes in one statement
    assert len(reads.statements) == 1, reads.statements


async def test_a_call_pushed_to_the_list_carries_her_wishes(fresh_clinic: Clinic) -> None:
    driver = await fresh_clinic()
    # Given a client who asked not to be asked about results by phone
    client = await driver.register_client()
    await _card(driver, client, False)
    watch = driver.api.subscription(TASKS_CHANGED, driver.token(Role.FOLLOW_UP_STAFF))
    async with reading(watch, "tasksChanged") as pushes:
        # When her first call falls due on the list follow-up staff watch
        jid = (await driver.drive_to("FOLLOW_UP", await driver.start(client)))["id"]
        pushed = await pushed_task(pushes, journeyId=jid, followUpId="fu-1")
    # Then the pushed call says so, as the list does
    assert pushed["mayAskAboutResults"] is False, pushed
    assert (await _calls(driver))[jid]["mayAskAboutResults"] is False


async def test_tasks_that_are_not_calls_say_nothing_of_her_wishes(fresh_clinic: Clinic) -> None:
    driver = await fresh_clinic()
    # Given a client who let staff ask about results, and a consultation of hers closed as not
    # converted: its invitation back is her consultant's task, not a follow-up call
    client = await driver.register_client()
    await _card(driver, client, True)
    journey = await driver.drive_to("CONSULTATION", await driver.start(client))
    await driver.consult(journey["id"])
    await driver.ok(
        CLOSE_NOT_CONVERTED, Role.CONSULTANT, journeyId=journey["id"], reason="thinking it over"
    )
    # When the consultant reads their list
    data = await driver.api.run(MY_TASKS, driver.token(Role.CONSULTANT))
    (invitation,) = [edge["node"] for edge in data["myTasks"]["edges"]]
    # Then the invitation says nothing of her phone wishes
    assert (invitation["kind"], invitation["mayAskAboutResults"]) == ("INVITATION", None)
