"""A retried action whose first attempt ended the journey, and whose answer was lost (the API
process died between doing the work and recording its answer under the idempotency key).

Found by the topology run (`bench.topology`): the journey had reached COMPLETED, yet the retry
on the other API was told `TransitionNotAllowed`, so the client believed the call had failed.
"""

from __future__ import annotations

from collections import Counter

from domain.roles import Role
from domain.store.models import IdempotencyKey
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key


async def test_a_retry_of_the_action_that_ended_the_journey_gets_the_first_answer(
    driver: JourneyDriver,
) -> None:
    # Given a journey whose last follow-up is due
    jid = (await driver.drive_to("FOLLOW_UP"))["id"]
    journey = await driver.wait_until_due(jid, count=2, timeout=60)
    first, last = (f["id"] for f in journey["followUps"])
    await driver.complete_follow_up(jid, first)
    finish = {"journeyId": jid, "followUpId": last, "outcome": "REACHED", "satisfaction": 5}
    key = new_key()
    answer = await driver.act(
        documents.COMPLETE_FOLLOW_UP, Role.FOLLOW_UP_STAFF, **finish, idempotencyKey=key
    )
    assert (answer["__typename"], answer["journey"]["stage"]) == ("JourneyPayload", "COMPLETED")
    # When the process that ran it died before recording its answer: the key stays claimed
    account = driver.staff[Role.FOLLOW_UP_STAFF].account_id
    assert await IdempotencyKey.filter(account_id=account, key=key).update(result_id="") == 1
    # Then a retry with the same key is answered as the first attempt was
    again = await driver.act(
        documents.COMPLETE_FOLLOW_UP, Role.FOLLOW_UP_STAFF, **finish, idempotencyKey=key
    )
    assert again == answer
    # And nothing was applied twice
    history = (await driver.journey(jid))["history"]
    actions = Counter(event["action"] for event in history)
    assert actions["complete_follow_up"] == 2, actions
    # And a new request (another key) is refused: the journey has ended
    other = await driver.act(
        documents.COMPLETE_FOLLOW_UP, Role.FOLLOW_UP_STAFF, **finish, idempotencyKey=new_key()
    )
    assert other["__typename"] == "TransitionNotAllowed"
