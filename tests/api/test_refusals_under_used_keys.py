"""A key used for one request answers `Conflict` to another, whichever check refuses the other
(`schema.keyed_refusals`): the paths the exactly-once sweep does not reach with its changed
inputs, an item code of the wrong shape and an upload's client or file refused. Under a fresh
key the same input gets its ordinary refusal, and no refusal writes anything."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.models import IdempotencyKey
from schema.ids import encode_id
from tests.api.flow import JourneyDriver
from tests.api.harness import Api
from tests.api.photo_support import consenting_client, new_key, png, upload
from tests.api.test_desk_bounds import POLICY_PROBLEMS
from tests.api.test_desk_notes import ASSIGN_PROBLEMS, SEAT_PROBLEMS
from tests.api.test_triage_api import _desk_clinic, _journey_at_triage

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
NOT_A_CODE = "two words"


def _typename(answer: dict[str, Any]) -> str:
    return str(next(iter(answer.values()))["__typename"])


async def test_an_item_code_of_the_wrong_shape_under_a_used_key_is_a_conflict(api: Api) -> None:
    # Given a desk change the front desk made under a key
    _, staff, consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK], staff[Role.SUPERVISOR]
    journey = await _journey_at_triage(api, desk.token, 1)
    key = f"key-{uuid.uuid4()}"
    seat = {"consultantId": consultants[0], "reason": "with a client", "status": "BUSY"}
    made = await api.run(SEAT_PROBLEMS, desk.token, input={**seat, "idempotencyKey": key})
    assert _typename(made) == "TriageBoardPayload", made
    claimed = await IdempotencyKey.filter(account_id=desk.account_id).count()
    # When other requests under that key name an item code that is no code
    refused = [
        await api.run(SEAT_PROBLEMS, desk.token, input={**seat, "scope": [NOT_A_CODE]}),
        await api.run(
            ASSIGN_PROBLEMS, desk.token, input={"journeyId": journey, "items": [NOT_A_CODE]}
        ),
    ]
    under_key = [
        await api.run(
            SEAT_PROBLEMS, desk.token, input={**seat, "scope": [NOT_A_CODE], "idempotencyKey": key}
        ),
        await api.run(
            ASSIGN_PROBLEMS,
            desk.token,
            input={"journeyId": journey, "items": [NOT_A_CODE], "idempotencyKey": key},
        ),
    ]
    # Then each is a Conflict, as a valid one would be; under a fresh key (or none) each is the
    # ValidationFailed it always was, and none claimed a key
    assert [_typename(answer) for answer in under_key] == ["Conflict", "Conflict"]
    assert [_typename(answer) for answer in refused] == ["ValidationFailed"] * 2
    assert await IdempotencyKey.filter(account_id=desk.account_id).count() == claimed
    # And a supervisor's policy under a key of their own is judged by that key alone
    policy = {"name": "ours", "reason": "the clinic's items", "acceptanceMinutes": 10}
    theirs = {**policy, "offeredItems": [NOT_A_CODE], "idempotencyKey": key}
    assert _typename(await api.run(POLICY_PROBLEMS, supervisor.token, input=theirs)) == (
        "ValidationFailed"
    )


async def test_a_malformed_key_keeps_its_validation_failed(api: Api) -> None:
    # A key too long for the ledger, or holding what no database stores, was never claimed:
    # the input's own refusal is answered (looking such a key up failed on PostgreSQL)
    _, staff, consultants = await _desk_clinic(api)
    seat = {"consultantId": consultants[0], "reason": "away\x00", "status": "AWAY"}
    for key in ("k" * 201, "", "key\x00", "key\ud800"):
        answer = await api.run(
            SEAT_PROBLEMS, staff[Role.FRONT_DESK].token, input={**seat, "idempotencyKey": key}
        )
        assert _typename(answer) == "ValidationFailed", answer


async def test_an_upload_refused_under_a_used_key_is_a_conflict(fresh_clinic: FreshClinic) -> None:
    # Given a photo the nurse uploaded under a key
    clinic, _, tags = await consenting_client(fresh_clinic)
    key = new_key()
    first = await upload(clinic, Role.NURSE, png(b"first"), **tags, idempotencyKey=key)
    assert first["__typename"] == "PhotoPayload", first
    nurse = clinic.staff[Role.NURSE].account_id
    claimed = await IdempotencyKey.filter(account_id=nurse).count()
    # When another upload under that key names a client of no clinic (refused before its file
    # is read, whose hash the key stands for), or sends a file that is no image
    nobody = {**tags, "clientId": encode_id("Client", f"nobody-{uuid.uuid4()}")}
    no_client = await upload(clinic, Role.NURSE, png(b"other"), **nobody, idempotencyKey=key)
    no_image = await upload(clinic, Role.NURSE, b"not an image", **tags, idempotencyKey=key)
    # Then each is a Conflict; under a fresh key each is refused as it always was
    assert (no_client["__typename"], no_image["__typename"]) == ("Conflict", "Conflict")
    fresh = [
        await upload(clinic, Role.NURSE, png(b"other"), **nobody, idempotencyKey=new_key()),
        await upload(clinic, Role.NURSE, b"not an image", **tags, idempotencyKey=new_key()),
    ]
    assert [answer["__typename"] for answer in fresh] == ["NotFound", "ValidationFailed"]
    # And no refusal claimed a key
    assert await IdempotencyKey.filter(account_id=nurse).count() == claimed
