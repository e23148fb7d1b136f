"""`reclassifyVisit` through the real server (seed 004): the medical director rules the item out
after assignment, the visit becomes "other", the consultant's turn is not counted and no make-up
turn is owed; the entry names its rule and the policy version."""

from __future__ import annotations

import uuid

import pytest

from domain.roles import Role
from domain.store.triage_models import TriageEntry
from schema.ids import decode_id
from schema.triage import reclassify
from tests.api.harness import Api, eventually
from tests.api.test_triage_api import AUTO_ASSIGN, BOARD, _desk_clinic, _journey_at_triage

RECLASSIFY = """
mutation Reclassify($input: ReclassifyVisitInput!) {
  reclassifyVisit(input: $input) {
    __typename
    ... on ReclassifyVisitPayload { journeyId visitCategory counted deskVersion }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}"""


async def test_a_visit_ruled_out_after_assignment_becomes_other_without_a_make_up(
    api: Api,
) -> None:
    clinic, staff, consultants = await _desk_clinic(api)
    desk, expert = staff[Role.FRONT_DESK].token, staff[Role.EXPERT].token
    journey = await _journey_at_triage(api, desk, 1)
    assigned = (await api.run(AUTO_ASSIGN, desk, input={"journeyId": journey}))["autoAssign"]
    assert assigned["decision"]["consultantId"] == consultants[0], assigned
    change = {
        "journeyId": journey,
        "category": "OTHER",
        "rule": "RULED_OUT_BY_MEDICAL_DIRECTOR",
        "reason": "the medical director ruled the item out",
        "idempotencyKey": uuid.uuid4().hex,
    }

    # The front desk may not; the expert may, once for one key
    refused = await api.run(RECLASSIFY, desk, input=change)
    assert refused["reclassifyVisit"]["__typename"] == "NotAuthorized"
    done = await api.run(RECLASSIFY, expert, input=change)
    again = await api.run(RECLASSIFY, expert, input=change)
    answer = done["reclassifyVisit"]
    assert (answer["__typename"], answer["visitCategory"], answer["counted"]) == (
        "ReclassifyVisitPayload",
        "OTHER",
        False,
    ), done
    assert answer["journeyId"] == journey
    assert again["reclassifyVisit"]["__typename"] == "ReclassifyVisitPayload", again
    conflict = await api.run(RECLASSIFY, expert, input={**change, "rule": "REGISTRATION_ERROR"})
    assert conflict["reclassifyVisit"]["__typename"] == "Conflict"

    # Then the desk's counts are recomputed: no turn for the first consultant, none owed
    board = await eventually(
        lambda: api.run(BOARD, desk, clinicId=clinic),
        lambda b: b["triageBoard"]["seats"][0]["firstVisitTurns"] == 0,
        timeout=10,
        what="board",
    )
    seats = board["triageBoard"]["seats"]
    assert [s["owedTurns"] for s in seats] == [0] * 5
    assert {(c["category"], c["count"]) for c in seats[0]["counts"]} >= {("OTHER", 1)}
    [entry] = await TriageEntry.filter(clinic_id=clinic, kind="RECLASSIFIED")
    assert entry.details["rule"] == "RULED_OUT_BY_MEDICAL_DIRECTOR"
    assert entry.policy == "default v1"
    assert entry.actor_id == staff[Role.EXPERT].account_id
    assert "the medical director ruled the item out" in entry.reason
    # And the rotation goes on to the next consultant
    nxt = await _journey_at_triage(api, desk, 2)
    following = (await api.run(AUTO_ASSIGN, desk, input={"journeyId": nxt}))["autoAssign"]
    assert following["decision"]["consultantId"] == consultants[1]


async def test_a_ruling_or_an_item_not_offered_makes_the_visit_other_and_nothing_else(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a first visit the desk placed, and an expert who names a rule for it
    _, staff, _ = await _desk_clinic(api)
    desk, expert = staff[Role.FRONT_DESK].token, staff[Role.EXPERT].token
    journey = await _journey_at_triage(api, desk, 1)
    await api.run(AUTO_ASSIGN, desk, input={"journeyId": journey})

    def change(rule: str, category: str) -> dict[str, str]:
        key = uuid.uuid4().hex
        reason = "the medical director's ruling"
        return {"journeyId": journey, "category": category, "rule": rule, "reason": reason} | {
            "idempotencyKey": key
        }

    # When the medical director's ruling, or an item not offered, names a category but OTHER
    for rule in ("RULED_OUT_BY_MEDICAL_DIRECTOR", "ITEM_NOT_OFFERED"):
        answer = (await api.run(RECLASSIFY, expert, input=change(rule, "REPEAT_PURCHASE")))[
            "reclassifyVisit"
        ]
        # Then it is refused on the category: seed 004 makes such a visit "other", no turn
        assert answer["__typename"] == "ValidationFailed", answer
        assert answer["problems"] == [
            {"field": "category", "message": f"{rule} makes the visit OTHER"}
        ]
    # And nothing was logged for it
    assert not await TriageEntry.filter(
        journey_id=decode_id(journey, "Journey"), kind="RECLASSIFIED"
    ).exists()

    # While one the desk took before the rule is answered on retry as the first time
    earlier = change("RULED_OUT_BY_MEDICAL_DIRECTOR", "REPEAT_PURCHASE")
    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(reclassify, "RULE_MAKES", {})
        first = await api.run(RECLASSIFY, expert, input=earlier)
    assert first["reclassifyVisit"]["__typename"] == "ReclassifyVisitPayload", first
    again = await api.run(RECLASSIFY, expert, input=earlier)
    assert again["reclassifyVisit"]["visitCategory"] == "REPEAT_PURCHASE", again
    # And a registration error may still name any category the desk places
    fixed = await api.run(RECLASSIFY, expert, input=change("REGISTRATION_ERROR", "FIRST_VISIT"))
    assert fixed["reclassifyVisit"]["__typename"] == "ReclassifyVisitPayload", fixed
