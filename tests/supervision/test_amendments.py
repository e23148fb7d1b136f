"""Records are append-only: a correction is an amendment that points at the original."""

from __future__ import annotations

import asyncio

import pytest

from domain.journey.validation import MAX_AMENDMENTS_PER_JOURNEY
from domain.roles import Role
from domain.store import records
from domain.store.models import AppendOnlyViolation, IdempotencyKey, JourneyEvent, JourneyRecord
from schema.ids import decode_id
from tests.api.flow import JourneyDriver

AMEND = """
mutation Amend($input: AmendRecordInput!) {
  amendRecord(input: $input) {
    __typename
    ... on AmendmentPayload { amendment { authorId reason correction } }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""
HISTORY = """
query History($id: ID!) {
  journey(id: $id) {
    ... on Journey {
      history { seq action details amendments { authorId reason correction } }
    }
  }
}
"""


async def _consultation_event(cockpit: JourneyDriver, jid: str) -> dict:  # type: ignore[type-arg]
    data = await cockpit.api.run(HISTORY, cockpit.token(Role.SUPERVISOR), id=jid)
    (event,) = [e for e in data["journey"]["history"] if e["action"] == "record_consultation"]
    return event  # type: ignore[no-any-return]


async def test_author_amends_a_consultation_and_the_original_stays(cockpit: JourneyDriver) -> None:
    # Given a recorded consultation
    journey = await cockpit.drive_to("CONSULTATION")
    journey = await cockpit.consult(journey["id"])
    original = await _consultation_event(cockpit, journey["id"])
    assert original["amendments"] == []

    # When someone other than its author (a cashier) tries to amend it, it is refused
    refused = await cockpit.api.run(
        AMEND,
        cockpit.token(Role.CASHIER),
        input={
            "journeyId": journey["id"],
            "seq": original["seq"],
            "reason": "typo",
            "correction": {"occupation": "architect"},
        },
    )
    assert refused["amendRecord"]["__typename"] == "NotAuthorized"

    # When the consultant who wrote it amends it, with a reason
    amended = await cockpit.api.run(
        AMEND,
        cockpit.token(Role.CONSULTANT),
        input={
            "journeyId": journey["id"],
            "seq": original["seq"],
            "reason": "misheard",
            "correction": {"occupation": "architect"},
        },
    )
    assert amended["amendRecord"]["__typename"] == "AmendmentPayload", amended

    # Then the history shows the original as written, and the amendment after it
    after = await _consultation_event(cockpit, journey["id"])
    assert after["details"] == original["details"]
    assert [(a["reason"], a["correction"]) for a in after["amendments"]] == [
        ("misheard", {"occupation": "architect"})
    ]
    # And the stored original cannot be edited or deleted
    raw_id = decode_id(journey["id"], "Journey")
    event = await JourneyEvent.get(journey_id=raw_id, seq=original["seq"])
    record = await JourneyRecord.get(id=event.record_id)
    record.body = {"occupation": "forged"}
    with pytest.raises(AppendOnlyViolation):
        await record.save()
    with pytest.raises(AppendOnlyViolation):
        await record.delete()


async def test_amendment_needs_a_reason_and_an_object(cockpit: JourneyDriver) -> None:
    journey = await cockpit.drive_to("CONSULTATION")
    journey = await cockpit.consult(journey["id"])
    seq = (await _consultation_event(cockpit, journey["id"]))["seq"]
    for reason, correction, field in (("", {"a": 1}, "reason"), ("why", [1, 2], "correction")):
        result = await cockpit.api.run(
            AMEND,
            cockpit.token(Role.CONSULTANT),
            input={
                "journeyId": journey["id"],
                "seq": seq,
                "reason": reason,
                "correction": correction,
            },
        )
        assert result["amendRecord"]["__typename"] == "ValidationFailed"
        assert result["amendRecord"]["problems"][0]["field"] == field
    assert (await _consultation_event(cockpit, journey["id"]))["amendments"] == []


async def _consultation_record(cockpit: JourneyDriver) -> tuple[str, int, JourneyRecord]:
    """A fresh journey's recorded consultation: the journey's id, its event's seq, its record."""
    journey = await cockpit.drive_to("CONSULTATION")
    journey = await cockpit.consult(journey["id"])
    seq = (await _consultation_event(cockpit, journey["id"]))["seq"]
    event = await JourneyEvent.get(journey_id=decode_id(journey["id"], "Journey"), seq=seq)
    return journey["id"], seq, await JourneyRecord.get(id=event.record_id)


async def _fill(original: JourneyRecord, count: int) -> None:
    """`count` amendments of the original, written straight to the store."""
    for n in range(count):
        await JourneyRecord.create(
            id=f"{original.id}-amendment-{n}",
            journey_id=original.journey_id,
            kind=f"{original.kind}_amendment",
            body={"reason": f"filler {n}", "correction": {"a": n}},
            author_id=original.author_id,
            amends_id=original.id,
        )


async def test_a_journey_takes_a_bounded_number_of_amendments_and_retries_are_still_answered(
    cockpit: JourneyDriver,
) -> None:
    # Given a consultation amended through the API once with a key, and 98 times more
    journey_id, seq, original = await _consultation_record(cockpit)
    token = cockpit.token(Role.SUPERVISOR)

    async def amend(reason: str, key: str | None = None) -> dict:  # type: ignore[type-arg]
        change = {"journeyId": journey_id, "seq": seq, "reason": reason, "correction": {"a": 1}}
        data = await cockpit.api.run(AMEND, token, input={**change, "idempotencyKey": key})
        return data["amendRecord"]  # type: ignore[no-any-return]

    keyed = await amend("first", key="amend-first")
    assert keyed["__typename"] == "AmendmentPayload", keyed
    await _fill(original, MAX_AMENDMENTS_PER_JOURNEY - 2)
    # When the last one that fits is made, and one more is asked
    assert (await amend("the last"))["__typename"] == "AmendmentPayload"
    refused = await amend("one too many")
    # Then the one too many is refused, naming the bound, and nothing of it is kept
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {
            "field": "seq",
            "message": f"the journey's records hold {MAX_AMENDMENTS_PER_JOURNEY} amendments, "
            "the most a journey takes",
        }
    ]
    amendments = await JourneyRecord.filter(amends_id=original.id).count()
    assert amendments == MAX_AMENDMENTS_PER_JOURNEY
    # And a retry of the first, with its key, is answered as it was
    assert await amend("first", key="amend-first") == keyed
    # And so is a request whose attempt wrote the last amendment that fits and lost its answer
    # before the key was settled (its amendment is written under the id its key's claim
    # derives, from the claim's salt)
    supervisor = cockpit.staff[Role.SUPERVISOR].account_id
    salt = records.new_salt()  # its claim, as that attempt wrote it (matched on the operation)
    await IdempotencyKey.create(
        account_id=supervisor, key="amend-lost", operation="amendRecord", result_id="", salt=salt
    )
    lost = records.derived_id(salt, "amendment")
    await JourneyRecord.create(
        id=lost,
        journey_id=original.journey_id,
        kind=f"{original.kind}_amendment",
        body={"reason": "lost", "correction": {"a": 1}},
        author_id=supervisor,
        amends_id=original.id,
    )
    retried = await amend("lost", key="amend-lost")
    assert retried["__typename"] == "AmendmentPayload", retried
    assert retried["amendment"]["reason"] == "lost"
    assert await JourneyRecord.filter(amends_id=original.id).count() == amendments + 1


async def test_requests_racing_for_the_last_amendments_do_not_pass_the_bound(
    cockpit: JourneyDriver,
) -> None:
    # Given a consultation whose journey has room for three more amendments
    journey_id, seq, original = await _consultation_record(cockpit)
    await _fill(original, MAX_AMENDMENTS_PER_JOURNEY - 3)
    token = cockpit.token(Role.SUPERVISOR)

    async def amend(n: int) -> str:
        change = {"journeyId": journey_id, "seq": seq, "reason": f"race {n}"}
        data = await cockpit.api.run(
            AMEND, token, input={**change, "correction": {"a": n}, "idempotencyKey": f"race-{n}"}
        )
        return data["amendRecord"]["__typename"]  # type: ignore[no-any-return]

    # When eight amendments, each with a key of its own, arrive at once
    answers = await asyncio.gather(*(amend(n) for n in range(8)))
    # Then three are kept and five refused, and the journey holds exactly its bound
    assert sorted(answers) == ["AmendmentPayload"] * 3 + ["ValidationFailed"] * 5
    kept = await JourneyRecord.filter(amends_id=original.id).count()
    assert kept == MAX_AMENDMENTS_PER_JOURNEY
