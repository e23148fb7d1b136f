"""The request path's statements around a step (`store.step_trips`): the journey's row with the
key's claim and the step's draft, and the key's settlement with the row as the step left it and
the step's audit entries; on both databases the same answers as the statements one by one, on
SQLite one trip each."""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from typing import Any

import pytest
from tortoise.exceptions import IntegrityError

from domain.audit import Access, Viewer, record_hash
from domain.journey.facts import JourneyChange, JourneyEvent
from domain.journey.stages import Stage
from domain.store.audit_chain import append_accesses, verify_chain
from domain.store.audit_models import AuditEntry
from domain.store.journey_sql import journey_row
from domain.store.models import IdempotencyKey, Journey, JourneyRecord
from domain.store.projection import apply_change
from domain.store.records import Draft, KeyClaim, KeyRequest, KeyState
from domain.store.sql import is_postgres
from domain.store.step_trips import row_and_claim, settled_row
from tests.store.stage_plan import START, clinic_with_client, opening_facts
from tests.support import DESK


async def _opened_journey() -> tuple[str, str]:
    """(journey id, clinic id) of a journey just opened in the read model."""
    clinic_id, client_id = await clinic_with_client("trips")
    journey_id = f"trips-{uuid.uuid4()}"
    event = JourneyEvent(journey_id, 1, "start", None, Stage.RECEPTION, DESK, START, "opened")
    facts = opening_facts(journey_id, clinic_id, client_id)
    assert await apply_change(JourneyChange(event, facts))
    return journey_id, clinic_id


def _request(digest: str = "d-now") -> KeyRequest:
    return KeyRequest(f"acct-{uuid.uuid4()}", f"key-{uuid.uuid4()}", "recordConsultation", [digest])


async def _ledger(request: KeyRequest) -> list[IdempotencyKey]:
    return await IdempotencyKey.filter(account_id=request.account_id, key=request.key)


async def test_the_row_and_the_claim_are_read_and_made_together() -> None:
    # Given an open journey and a fresh key
    journey_id, clinic_id = await _opened_journey()
    request = _request()
    # When it is read with the claim, again by a retry, and without a key
    row, first, _ = await row_and_claim(journey_id, clinic_id, request)
    _, retry, _ = await row_and_claim(journey_id, clinic_id, request)
    keyless_row, no_claim, _ = await row_and_claim(journey_id, clinic_id, None)
    # Then the row is the one the single read returns, the first claim is first and the
    # retry's is unfinished, and no key claims nothing
    assert row is not None and keyless_row is not None
    assert row.id == keyless_row.id == journey_id
    single = await journey_row(journey_id, clinic_id)
    assert single is not None and (row.stage, row.facts) == (single.stage, single.facts)
    assert first == KeyClaim(KeyState.FIRST) and retry == KeyClaim(KeyState.UNFINISHED)
    assert no_claim is None
    assert len(await _ledger(request)) == 1


async def test_a_journey_the_caller_cannot_see_claims_nothing() -> None:
    # Given a journey of one clinic
    journey_id, _ = await _opened_journey()
    request = _request()
    # When a caller of another clinic, and then a journey that does not exist, is asked for
    elsewhere = await row_and_claim(journey_id, "another-clinic", request)
    missing = await row_and_claim(f"trips-{uuid.uuid4()}", "another-clinic", request)
    # Then neither is found, and the key stays unclaimed for the request that can run
    assert elsewhere == (None, None, None) and missing == (None, None, None)
    assert await _ledger(request) == []


async def test_the_settlement_and_the_row_after_the_step_go_together() -> None:
    # Given a journey and a claimed key
    journey_id, clinic_id = await _opened_journey()
    request = _request()
    await row_and_claim(journey_id, clinic_id, request)
    # When the step's request settles it with the row, then a retry claims it again
    settled = await settled_row(journey_id, (request.account_id, request.key))
    unsettled = await settled_row(journey_id, None)
    _, answered, _ = await row_and_claim(journey_id, clinic_id, request)
    # Then the row is read, and the retry hears the first result
    assert settled is not None and settled.id == journey_id
    assert unsettled is not None and unsettled.id == journey_id
    assert answered == KeyClaim(KeyState.ANSWERED, journey_id)


async def test_on_sqlite_each_pair_is_one_trip(sqlite_trips: list[str]) -> None:
    trips = sqlite_trips
    journey_id, clinic_id = await _opened_journey()
    request = _request()
    # When a retry's claim (an insert that finds the key held, then its read) goes with the row
    await row_and_claim(journey_id, clinic_id, request)
    trips.clear()
    _, retry, _ = await row_and_claim(journey_id, clinic_id, request)
    retried_trips = len(trips)
    trips.clear()
    await settled_row(journey_id, (request.account_id, request.key))
    # Then three statements took one trip, and the settlement with the row another
    assert retry == KeyClaim(KeyState.UNFINISHED)
    assert retried_trips == 1 and len(trips) == 1


def _draft(journey_id: str, note: str) -> Draft:
    return Draft(journey_id, "consultation", {"note": note}, "consultant-1")


def _first_claims_only(_row: Journey, claim: KeyClaim | None) -> bool:
    return claim is not None and claim.state is KeyState.FIRST


async def test_the_draft_is_kept_with_the_claim_only_when_the_step_goes_on() -> None:
    # Given an open journey and a key
    journey_id, clinic_id = await _opened_journey()
    request = _request()
    # When the first call and then a retry bring a draft, told to keep it for a first claim only
    first = await row_and_claim(
        journey_id, clinic_id, request, (_draft(journey_id, "first"), _first_claims_only)
    )
    retry = await row_and_claim(
        journey_id, clinic_id, request, (_draft(journey_id, "retry"), _first_claims_only)
    )
    # Then the first call's draft is written with its id returned, and the retry's is not
    assert first.claim == KeyClaim(KeyState.FIRST) and first.record_id is not None
    assert retry.claim == KeyClaim(KeyState.UNFINISHED) and retry.record_id is None
    drafts = await JourneyRecord.filter(journey_id=journey_id)
    assert [(d.id, d.kind, d.body, d.author_id) for d in drafts] == [
        (first.record_id, "consultation", {"note": "first"}, "consultant-1")
    ]


async def test_a_journey_the_caller_cannot_see_keeps_no_draft() -> None:
    # Given a journey of one clinic
    journey_id, _ = await _opened_journey()
    # When a caller of another clinic brings a draft its test would keep
    seen = await row_and_claim(
        journey_id, "another-clinic", _request(), (_draft(journey_id, "x"), lambda *_: True)
    )
    # Then nothing is read, claimed or written
    assert seen == (None, None, None)
    assert await JourneyRecord.filter(journey_id=journey_id).count() == 0


async def test_on_sqlite_the_row_claim_and_draft_are_one_trip(sqlite_trips: list[str]) -> None:
    journey_id, clinic_id = await _opened_journey()
    sqlite_trips.clear()
    # When a first call reads the row, claims its key and keeps its draft
    before = await row_and_claim(
        journey_id, clinic_id, _request(), (_draft(journey_id, "one"), _first_claims_only)
    )
    # Then three statements took one trip
    assert before.record_id is not None
    assert len(sqlite_trips) == 1


async def test_on_postgresql_the_settlement_rides_with_the_rows_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connection = Journey._meta.db
    if not is_postgres(connection):
        pytest.skip("PostgreSQL's folding: SQLite sends the pair in one trip (above)")
    journey_id, clinic_id = await _opened_journey()
    request = _request()
    await row_and_claim(journey_id, clinic_id, request)
    sent: list[str] = []
    original = type(connection).execute_query_dict

    async def counted(self: Any, sql: str, values: Any = None) -> Any:
        sent.append(sql)
        return await original(self, sql, values)

    monkeypatch.setattr(type(connection), "execute_query_dict", counted)
    # When the step's request settles its key and reads the row
    row = await settled_row(journey_id, (request.account_id, request.key))
    monkeypatch.undo()
    # Then one statement did both: the row is read and the key holds its result
    assert row is not None and row.id == journey_id
    assert len(sent) == 1 and sent[0].startswith("WITH")
    (settled,) = await _ledger(request)
    assert settled.result_id == journey_id


def _viewer(clinic_id: str) -> Viewer:
    return Viewer("consultant-1", "CONSULTANT", clinic_id, f"req-{uuid.uuid4().hex}")


async def test_the_steps_audit_entries_go_with_the_settlement() -> None:
    # Given a journey and a claimed key
    journey_id, clinic_id = await _opened_journey()
    request = _request()
    await row_and_claim(journey_id, clinic_id, request)
    viewer = _viewer(clinic_id)
    entries = [Access("client-1", "recordConsultation"), Access("client-1", "journey.read")]
    # When the step's request settles it, reads the row and appends its entries
    row = await settled_row(journey_id, (request.account_id, request.key), (viewer, entries))
    # Then the row is read, the key holds its result, and the entries extend the clinic's
    # chain in their order
    assert row is not None and row.id == journey_id
    (settled,) = await _ledger(request)
    assert settled.result_id == journey_id
    written = await AuditEntry.filter(request_id=viewer.request_id).order_by("seq")
    assert [(e.client_id, e.action) for e in written] == [(a.client_id, a.what) for a in entries]
    assert await verify_chain(clinic_id) == (len(written), None)


async def test_on_sqlite_the_settlement_row_and_entries_are_one_trip(
    sqlite_trips: list[str],
) -> None:
    journey_id, clinic_id = await _opened_journey()
    request = _request()
    await row_and_claim(journey_id, clinic_id, request)
    entries = [Access("client-1", "recordConsultation")]
    sqlite_trips.clear()
    # When the step's request settles its key with the row and its audit entry
    await settled_row(journey_id, (request.account_id, request.key), (_viewer(clinic_id), entries))
    # Then they took one trip, one transaction
    assert sqlite_trips == ["_run_plan"]


async def test_on_sqlite_an_entry_refused_leaves_the_key_unsettled(sqlite_trips: list[str]) -> None:
    # Given a claimed key, and a clinic whose chain has an entry written around its head (the
    # next append is refused by the database)
    journey_id, clinic_id = await _opened_journey()
    request = _request()
    await row_and_claim(journey_id, clinic_id, request)
    viewer = _viewer(clinic_id)
    ((first, _),) = await append_accesses(viewer, [Access("client-1", "journey.read")])
    squatter = replace(first, id=str(uuid.uuid4()), seq=first.seq + 1)
    await AuditEntry.bulk_create([AuditEntry(**asdict(squatter), hash=record_hash(squatter))])
    # When the step's request settles its key with its entry
    with pytest.raises(IntegrityError):
        await settled_row(
            journey_id,
            (request.account_id, request.key),
            (viewer, [Access("client-1", "recordConsultation")]),
        )
    # Then neither stands: a retry finds the key unfinished, to be answered by the journey
    _, retry, _ = await row_and_claim(journey_id, clinic_id, request)
    assert retry == KeyClaim(KeyState.UNFINISHED)
