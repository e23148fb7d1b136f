"""A retry of an arrival refused after its key was claimed is not taken for one that went
through because another request placed the same journey.

A retry refused by a rule its first attempt predates (an item code the price list never had,
looked up since) is answered as the first time when its first attempt went through, only its
answer lost. Whether it went through was told by the desk's log holding the journey's arrival:
any arrival of the journey, another request's too. A first attempt refused after its claim (an
unknown companion journey) changed nothing; placed since by another request, the journey made
its retry pass the rule and be judged as one that went through (refused as no longer at triage).
It is now told by what the request itself did: the journey took its update (its id derived from
the key's claim)."""

from __future__ import annotations

from typing import Any

import pytest

from domain.roles import Role
from domain.store.triage_models import TriageEntry
from schema.ids import decode_id, encode_id
from schema.triage import assign
from schema.triage.item_catalog import UNKNOWN_CODE
from tests.api.flow import new_key
from tests.api.harness import Api, eventually
from tests.api.test_desk_bounds import problems
from tests.api.test_desk_notes import ASSIGN_PROBLEMS
from tests.api.test_triage_api import LOG_TIMEOUT, _desk_clinic, _journey_at_triage


async def test_a_refused_arrival_retried_after_another_request_placed_its_journey_is_judged_afresh(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a journey at triage, and an arrival for it naming a code the clinic's price list
    # never had and a companion journey that is not the clinic's, made under the release before
    # codes were looked up: refused after its key was claimed
    clinic, staff, _ = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    journey = await _journey_at_triage(api, desk, 1)
    asked = {
        "journeyId": journey,
        "items": ["peel"],
        "companionOfJourneyId": encode_id("Journey", "no-such-journey"),
        "idempotencyKey": new_key(),
    }

    async def unchecked(*_: Any) -> None:
        return None

    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(assign, "unknown_code", unchecked)
        first = (await api.run(ASSIGN_PROBLEMS, desk, input=asked))["autoAssign"]
    assert first["__typename"] == "ValidationFailed", first
    # And the journey placed since by another request, the desk's log holding its arrival
    other = {"journeyId": journey, "items": ["skin"], "idempotencyKey": new_key()}
    placed = (await api.run(ASSIGN_PROBLEMS, desk, input=other))["autoAssign"]
    assert placed["__typename"] == "AutoAssignPayload", placed
    raw = decode_id(journey, "Journey")
    await eventually(
        lambda: TriageEntry.filter(clinic_id=clinic, journey_id=raw).exists(),
        bool,
        timeout=LOG_TIMEOUT,
        what="the desk's log of the arrival",
    )
    # When the refused arrival is retried with its key, the rule in force
    retried = await api.run(ASSIGN_PROBLEMS, desk, input=asked)
    # Then it is judged afresh (its first attempt went nowhere): its code is refused
    assert problems(retried) == [("items", UNKNOWN_CODE)]
