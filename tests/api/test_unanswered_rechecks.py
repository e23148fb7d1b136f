"""A complication or a warranty claim that finds the client's recheck claimed long ago by a request
that may have died before starting it, while Temporal cannot say whether that recheck runs:
`Unavailable`, no link to that recheck written, the key left open; the retry, once Temporal
answers, opens the client's recheck and links it, once.

Before, Temporal's silence counted as the recheck serving: the warranty claim and the doctor's
complication task named a recheck that never started, and the client was asked in for nothing.
Temporal's answer is made impossible to wait for (its wait set to no time at all), as in
`test_unanswered_starts`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import workflows.client
from domain.aftercare.tasks import TaskKind
from domain.roles import Role
from domain.store.aftercare import FollowUpTask, WarrantyCard, WarrantyClaim
from domain.store.models import ActiveRecheckClaim, IdempotencyKey
from domain.store.models import Journey as JourneyRow
from domain.store.task_projection import task_id
from schema.ids import decode_id
from tests.api import aftercare_documents as docs
from tests.api.flow import JourneyDriver, new_key

# No answer from the real server fits in no time at all.
NO_WAIT = 0.0
# Beyond any request's life: its start, if it was ever sent, is not on its way any more.
LONG_AGO = timedelta(minutes=5)


async def ghost_recheck_of(client_id: str) -> str:
    """A recheck claim on the client by a request that died before Temporal heard of it."""
    ghost = f"recheck-{new_key()}"
    claimed_at = datetime.now(UTC) - LONG_AGO
    await ActiveRecheckClaim.create(client_id=client_id, journey_id=ghost, claimed_at=claimed_at)
    return ghost


async def key_result(driver: JourneyDriver, role: Role, key: str) -> str:
    account_id = driver.staff[role].account_id
    return (await IdempotencyKey.get(account_id=account_id, key=key)).result_id


async def rechecks_of(client_id: str) -> list[str]:
    rows = await JourneyRow.filter(client_id=client_id, visit_category="RECHECK")
    return [str(row.id) for row in rows]


async def test_a_warranty_claim_temporal_cannot_clear_of_an_old_recheck_claim_is_unavailable(
    driver: JourneyDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a treated client whose recheck was claimed long ago and never opened
    journey = await driver.drive_to("HANDOVER")
    data = await driver.api.run(docs.WARRANTY_OF, driver.token(Role.FRONT_DESK), id=journey["id"])
    number = data["journey"]["warrantyCard"]["number"]
    card = await WarrantyCard.get(number=number)
    ghost = await ghost_recheck_of(card.client_id)
    claim = {"warrantyNumber": number, "reason": "asymmetry", "idempotencyKey": new_key()}

    # When the warranty is claimed and Temporal cannot say whether that recheck runs
    monkeypatch.setattr(workflows.client, "UPDATE_RAN_SECONDS", NO_WAIT)
    silent = await driver.api.run(docs.CLAIM_WARRANTY, driver.token(Role.FRONT_DESK), input=claim)
    # Then the answer is Unavailable, not a claim served by a recheck that may never start
    assert silent["claimWarranty"]["__typename"] == "Unavailable", silent
    # And nothing is written: no claim, no recheck, the old claim untouched, the key open
    assert not await WarrantyClaim.exists(card_id=number)
    assert await rechecks_of(card.client_id) == []
    assert (await ActiveRecheckClaim.get(client_id=card.client_id)).journey_id == ghost
    assert await key_result(driver, Role.FRONT_DESK, claim["idempotencyKey"]) == ""

    # When Temporal answers again and the claim is sent again with the same key
    monkeypatch.undo()
    retry = await driver.api.run(docs.CLAIM_WARRANTY, driver.token(Role.FRONT_DESK), input=claim)
    # Then the claim is recorded once, served by a recheck of its own that holds the client
    claimed = retry["claimWarranty"]
    assert claimed["__typename"] == "WarrantyClaimed", claimed
    recheck = decode_id(claimed["recheckJourney"]["id"], "Journey")
    assert recheck != ghost
    assert [row.recheck_journey_id for row in await WarrantyClaim.filter(card_id=number)] == [
        recheck
    ]
    assert await rechecks_of(card.client_id) == [recheck]
    assert (await ActiveRecheckClaim.get(client_id=card.client_id)).journey_id == recheck


async def test_a_complication_temporal_cannot_clear_of_an_old_recheck_claim_is_unavailable(
    driver: JourneyDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a treated client making their follow-up calls, whose recheck was claimed long ago
    # and never opened
    journey = await driver.drive_to("FOLLOW_UP")
    raw_journey = decode_id(journey["id"], "Journey")
    assert raw_journey is not None
    await driver.wait_until_due(journey["id"], 1)
    row = await JourneyRow.get(id=raw_journey)
    ghost = await ghost_recheck_of(row.client_id)
    report = {
        "journeyId": journey["id"],
        "followUpId": "fu-1",
        "note": "swelling growing since yesterday",
        "idempotencyKey": new_key(),
    }
    staff = driver.token(Role.FOLLOW_UP_STAFF)

    # When the complication is reported and Temporal cannot say whether that recheck runs
    monkeypatch.setattr(workflows.client, "UPDATE_RAN_SECONDS", NO_WAIT)
    silent = await driver.api.run(docs.REPORT_COMPLICATION, staff, input=report)
    # Then the answer is Unavailable, and the doctor's task names no recheck: the call is
    # recorded (the journey took it), the key left open for the rest
    assert silent["reportComplication"]["__typename"] == "Unavailable", silent
    doctor_task = task_id(raw_journey, "fu-1", TaskKind.COMPLICATION)
    assert (await FollowUpTask.get(id=doctor_task)).linked_journey_id is None
    assert await rechecks_of(row.client_id) == []
    assert (await ActiveRecheckClaim.get(client_id=row.client_id)).journey_id == ghost
    assert await key_result(driver, Role.FOLLOW_UP_STAFF, report["idempotencyKey"]) == ""

    # When Temporal answers again and the report is sent again with the same key
    monkeypatch.undo()
    retry = await driver.api.run(docs.REPORT_COMPLICATION, staff, input=report)
    # Then the client's own recheck is opened and linked, the call recorded once
    reported = retry["reportComplication"]
    assert reported["__typename"] == "ComplicationReported", reported
    recheck = decode_id(reported["recheckJourney"]["id"], "Journey")
    assert recheck is not None and recheck != ghost
    assert (await FollowUpTask.get(id=doctor_task)).linked_journey_id == recheck
    assert await rechecks_of(row.client_id) == [recheck]
    assert reported["journey"]["followUps"][0] == {"id": "fu-1", "status": "DONE"}
    again = await driver.api.run(docs.REPORT_COMPLICATION, staff, input=report)
    assert again["reportComplication"] == reported
