"""The request path's hand-written statements (`store.sql`) read and write what Tortoise's own
queries did: the journey row, the session's account, the idempotency key, the draft record."""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta

from domain.auth import AccessToken
from domain.journey.facts import JourneyChange, JourneyEvent
from domain.journey.stages import Stage
from domain.journey.stuck_reasons import StuckReason
from domain.store import accounts, records
from domain.store.journey_sql import journey_row
from domain.store.models import Clinic, IdempotencyKey, Journey, JourneyRecord, StaffAccount
from domain.store.projection import apply_change
from domain.store.records import KeyState
from domain.store.sql import columns_of
from tests.store.stage_plan import START, clinic_with_client, opening_facts
from tests.support import DESK


def _fields(row: object, model: type[Journey] | type[StaffAccount]) -> dict[str, object]:
    return {name: getattr(row, name) for name in model._meta.fields_db_projection}


async def test_a_journey_row_reads_as_tortoise_reads_it() -> None:
    # Given a journey that is stuck, with every kind of column filled in
    clinic_id, client_id = await clinic_with_client("sql")
    journey_id = f"sql-{uuid.uuid4()}"
    facts = dataclasses.replace(
        opening_facts(journey_id, clinic_id, client_id),
        event_seq=1,
        stuck_since=START + timedelta(microseconds=7),
        stuck_reason="waiting — 10 min",
        stuck_reason_code=StuckReason.STAGE_OVERDUE,
    )
    event = JourneyEvent(journey_id, 1, "start", None, Stage.RECEPTION, DESK, START, "opened")
    assert await apply_change(JourneyChange(event, facts))
    # When the request path reads it by hand, in its clinic and in another
    read = await journey_row(journey_id, clinic_id)
    elsewhere = await journey_row(journey_id, "another-clinic")
    # Then each field is what Tortoise's own query returns, types included, and the row is
    # hidden from another clinic
    assert read is not None and elsewhere is None
    expected = _fields(await Journey.get(id=journey_id), Journey)
    assert _fields(read, Journey) == expected
    assert {name: type(v) for name, v in _fields(read, Journey).items()} == {
        name: type(v) for name, v in expected.items()
    }
    assert read.stuck is True and read.facts["stuck_reason"] == "waiting — 10 min"
    assert read.stuck_reason_code == read.facts["stuck_reason_code"] == "STAGE_OVERDUE"
    assert await journey_row(f"sql-{uuid.uuid4()}") is None
    assert len(columns_of(Journey)) == len(Journey._meta.db_fields)


async def test_the_session_lookup_finds_the_account_and_its_signed_out_tokens() -> None:
    # Given an account with a token, of a clinic on Tokyo's time
    clinic_id, _ = await clinic_with_client("sql")
    await Clinic.filter(id=clinic_id).update(timezone="Asia/Tokyo")
    account = await StaffAccount.create(
        id=f"acct-{uuid.uuid4()}",
        clinic_id=clinic_id,
        username=f"u-{uuid.uuid4()}",
        display_name="Zoë",
        role="CONSULTANT",
        password_hash="x",
        tokens_valid_after=datetime(2026, 3, 2, 8, 0, 0, 250, tzinfo=UTC),
    )
    token = AccessToken.new(account.id, time.time(), 600)
    # When its session is looked up before and after the token is signed out
    before = await accounts.look_up(token)
    await accounts.sign_out_token(token)
    after = await accounts.look_up(token)
    other = await accounts.look_up(AccessToken.new(account.id, time.time(), 600))
    missing = await accounts.look_up(AccessToken.new(f"acct-{uuid.uuid4()}", time.time(), 600))
    # Then the account is read as Tortoise reads it, and only that token counts as signed out
    assert before.account is not None and not before.token_signed_out
    assert _fields(before.account, StaffAccount) == _fields(account, StaffAccount)
    assert before.account.active is True and before.account.must_change_password is False
    assert after.token_signed_out and not other.token_signed_out
    assert missing == accounts.AccountLookup(None, False)
    # And the account's clinic's time zone comes with it
    assert before.clinic_timezone == after.clinic_timezone == "Asia/Tokyo"


async def test_a_key_is_claimed_once_answered_once_and_refused_for_another_request() -> None:
    # Given a fresh key
    account_id, key = f"acct-{uuid.uuid4()}", f"key-{uuid.uuid4()}"

    # When it is claimed, claimed again by a retry, settled twice, then reused for another call
    def claim(operation: str, *digests: str) -> Awaitable[records.KeyClaim]:
        return records.claim_key(records.KeyRequest(account_id, key, operation, digests))

    first = await claim("recordConsultation", "d-now", "d-old")
    retry = await claim("recordConsultation", "d-now")
    rotated = await claim("recordConsultation", "d-new", "d-now")
    await records.settle_key(account_id, key, "journey-1")
    await records.settle_key(account_id, key, "journey-2")
    answered = await claim("recordConsultation", "d-now")
    other_input = await claim("recordConsultation", "d-else")
    other_call = await claim("startJourney", "d-now")
    # Then only the first claim is first, a retry (under the old secret too) is unfinished,
    # the first settlement stands, and another request's claim is refused
    assert first.state is KeyState.FIRST
    assert retry.state is KeyState.UNFINISHED and rotated.state is KeyState.UNFINISHED
    assert answered == records.KeyClaim(KeyState.ANSWERED, "journey-1")
    assert other_input.state is KeyState.REUSED and other_call.state is KeyState.REUSED
    # And the ledger holds one row, with its digest and the time of the claim
    (row,) = await IdempotencyKey.filter(account_id=account_id, key=key)
    assert (row.operation, row.digest) == ("recordConsultation", "d-now")
    assert row.result_id == "journey-1"
    assert abs(datetime.now(UTC) - row.created_at) < timedelta(minutes=5)


async def test_a_draft_record_reads_back_as_written() -> None:
    # When a step's record is drafted by hand
    journey_id = f"sql-{uuid.uuid4()}"
    body = {"goal": "softer lines — Zoë", "areas": ["forehead"], "price": {"minor": 120000}}
    record_id = await records.draft_record(journey_id, "consultation", body, "consultant-1")
    # Then Tortoise reads it back whole, as a draft amending nothing, stamped now
    row = await JourneyRecord.get(id=record_id)
    assert (row.journey_id, row.kind, row.body, row.author_id) == (
        journey_id, "consultation", body, "consultant-1",
    )  # fmt: skip
    assert row.amends_id is None
    assert abs(datetime.now(UTC) - row.created_at) < timedelta(minutes=5)
