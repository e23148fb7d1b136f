"""Ids a keyed request derives (its journey, its step's draft, Temporal's update id) come from
its key's claim: a random salt written with the claim. A client may build its keys from what it
sends (a name, a phone number); an id derived from the key alone could be checked against a
guessed key, by anyone reading a workflow id, an update id or a GraphQL id. Every attempt of one
request still names the same ones, and a claim an earlier release made (no salt), left
unfinished, keeps deriving the ids that release derived, so its retry converges on them.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store import records
from domain.store.models import IdempotencyKey, JourneyRecord, StaffAccount
from domain.store.models import Journey as JourneyRow
from schema.ids import decode_id
from schema.journeys.reception import _JOURNEY_IDS
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver
from tests.api.harness import Api, Staff
from tests.api.test_administration import TEMPORARY, _create_staff
from tests.api.test_update_ids import _temporal_history

Clinic = Callable[[], Awaitable[JourneyDriver]]
# Built the way a careless client might, from what it sends.
GUESSABLE = "Anna Nowak +48 600 100 200"


async def test_a_keyed_start_and_step_name_nothing_a_guessed_key_can_be_checked_against(
    fresh_clinic: Clinic, temporal_env: WorkflowEnvironment
) -> None:
    # Given a client, and keys built from what front desk and the expert send
    driver = await fresh_clinic()
    desk, expert = (driver.staff[role].account_id for role in (Role.FRONT_DESK, Role.EXPERT))
    # When a journey is started with one, and the expert's review sent with another
    started = await driver.start(await driver.register_client(), idempotencyKey=GUESSABLE)
    journey = await driver.drive_to("EXPERT_REVIEW", started)
    review_key = f"{GUESSABLE} approve"
    await driver.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **_review(journey, review_key))
    # Then the journey's id (its workflow's), the review's draft and its update id are none of
    # the ids the keys alone derive, but those their claims' salts derive
    journey_id = decode_id(journey["id"], "Journey")
    assert journey_id != str(uuid.uuid5(_JOURNEY_IDS, f"{desk}:{GUESSABLE}"))
    assert journey_id == str(uuid.uuid5(_JOURNEY_IDS, await _salt(desk, GUESSABLE)))
    review_salt = await _salt(expert, review_key)
    assert await _drafts(journey_id, expert) == [records.derived_id(review_salt, "draft")]
    recorded = await _temporal_history(temporal_env, journey["id"])
    assert records.derived_id(review_salt, "update").encode() in recorded
    assert records.derived_id(f"{expert}:{review_key}", "update").encode() not in recorded
    assert records.derived_id(f"{expert}:{review_key}", "draft").encode() not in recorded


async def test_retries_of_a_keyed_start_and_step_converge_on_what_the_first_attempt_made(
    fresh_clinic: Clinic, temporal_env: WorkflowEnvironment
) -> None:
    # Given a journey started with a key, and the expert's review sent with one, each of whose
    # answers was lost (the key claimed, never settled)
    driver = await fresh_clinic()
    desk, expert = (driver.staff[role].account_id for role in (Role.FRONT_DESK, Role.EXPERT))
    client = await driver.register_client()
    started = await driver.start(client, idempotencyKey=GUESSABLE)
    await _lose_answer(desk, GUESSABLE)
    journey = await driver.drive_to("EXPERT_REVIEW", started)
    review = _review(journey, f"{GUESSABLE} approve")
    first = await driver.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **review)
    await _lose_answer(expert, review["idempotencyKey"])
    # When each is retried with its key
    restarted = await driver.act(
        documents.START_JOURNEY, Role.FRONT_DESK, clientId=client, idempotencyKey=GUESSABLE
    )
    again = await driver.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **review)
    # Then the retry names the same journey (the client has one), the same draft, and the
    # journey took the review once, under one update id
    assert restarted["__typename"] == "JourneyPayload", restarted
    assert restarted["journey"]["id"] == journey["id"]
    journey_id = decode_id(journey["id"], "Journey")
    assert await JourneyRow.filter(client_id=decode_id(client, "Client")).count() == 1
    assert again == first
    salt = await _salt(expert, review["idempotencyKey"])
    assert await _drafts(journey_id, expert) == [records.derived_id(salt, "draft")]
    history = (await driver.journey(journey["id"]))["history"]
    assert [event["action"] for event in history].count("approve_plan") == 1
    recorded = await _temporal_history(temporal_env, journey["id"])
    assert records.derived_id(salt, "update").encode() in recorded


async def test_a_claim_an_earlier_release_left_unfinished_keeps_the_ids_it_derived(
    fresh_clinic: Clinic, temporal_env: WorkflowEnvironment
) -> None:
    # Given keys an earlier release claimed (no salt) for a start and a review, whose attempts
    # never finished
    driver = await fresh_clinic()
    desk, expert = (driver.staff[role].account_id for role in (Role.FRONT_DESK, Role.EXPERT))
    client = await driver.register_client()
    start_key, review_key = f"start-{uuid.uuid4()}", f"review-{uuid.uuid4()}"
    await _claimed_by_an_earlier_release(desk, start_key, "startJourney")
    # When this release retries the start with its key
    started = await driver.start(client, idempotencyKey=start_key)
    # Then the journey is the one that release's attempt named (its retry would find it)
    assert decode_id(started["id"], "Journey") == str(
        uuid.uuid5(_JOURNEY_IDS, f"{desk}:{start_key}")
    )
    # And so for the review: its draft and its update id are those that release derived
    journey = await driver.drive_to("EXPERT_REVIEW", started)
    await _claimed_by_an_earlier_release(expert, review_key, "completeExpertReview")
    await driver.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **_review(journey, review_key))
    journey_id = decode_id(journey["id"], "Journey")
    legacy_seed = f"{expert}:{review_key}"
    assert await _drafts(journey_id, expert) == [records.derived_id(legacy_seed, "draft")]
    recorded = await _temporal_history(temporal_env, journey["id"])
    assert records.derived_id(legacy_seed, "update").encode() in recorded


async def test_a_staff_account_made_under_a_key_is_named_by_its_claim_not_its_key(
    api: Api, staff: dict[Role, Staff]
) -> None:
    # Given an administrator's key built from the new account's username
    admin = staff[Role.ADMIN]
    username = f"nurse-{uuid.uuid4().hex[:10]}"
    key = f"create {username}"
    # When the account is made under it, and the request retried after its answer was lost
    account = {
        "clinicId": "demo-clinic",
        "username": username,
        "displayName": "Ewa",
        "role": "NURSE",
        "temporaryPassword": TEMPORARY,
        "idempotencyKey": key,
    }
    created = await _create_staff(api, admin, **account)
    assert created["__typename"] == "StaffAccountPayload", created
    await _lose_answer(admin.account_id, key)
    again = await _create_staff(api, admin, **account)
    # Then the retry names the same account, whose id is not the one the key alone derives
    assert again == created
    (row,) = await StaffAccount.filter(username=username)
    assert row.id != f"staff-{uuid.uuid5(uuid.NAMESPACE_URL, f'{admin.account_id}:{key}').hex}"
    salt = await _salt(admin.account_id, key)
    assert row.id == f"staff-{uuid.uuid5(uuid.NAMESPACE_URL, salt).hex}"


def _review(journey: dict[str, Any], key: str) -> dict[str, Any]:
    return {
        "journeyId": journey["id"],
        "decision": "APPROVE",
        "points": "volume in the cheeks, no lips",
        "finalPlan": PLAN,
        "idempotencyKey": key,
    }


async def _salt(account_id: str, key: str) -> str:
    claim = await IdempotencyKey.get(account_id=account_id, key=key)
    assert claim.salt, claim
    return claim.salt


async def _drafts(journey_id: str | None, author_id: str) -> list[str]:
    """The ids of the records the author wrote in the journey (the review's draft)."""
    rows = JourneyRecord.filter(journey_id=journey_id, author_id=author_id)
    return [row.id for row in await rows]


async def _lose_answer(account_id: str, key: str) -> None:
    """The key claimed and never settled, as when the process died before answering."""
    assert await IdempotencyKey.filter(account_id=account_id, key=key).update(result_id="") == 1


async def _claimed_by_an_earlier_release(account_id: str, key: str, operation: str) -> None:
    """The key's claim as a release before salts wrote it, never settled (matched on the
    operation alone, as a claim written before digests is)."""
    await IdempotencyKey.create(account_id=account_id, key=key, operation=operation, result_id="")
