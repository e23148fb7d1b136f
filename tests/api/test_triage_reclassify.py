"""`reclassifyVisit` through the real server (seed 004): the medical director rules the item out
after assignment, the visit becomes "other", the consultant's turn is not counted and no make-up
turn is owed; the entry names its rule and the policy version."""

from __future__ import annotations

import uuid

from domain.roles import Role
from domain.store.triage_models import TriageEntry
from tests.api.harness import Api, eventually
from tests.api.test_triage_api import AUTO_ASSIGN, BOARD, _desk_clinic, _journey_at_triage

RECLASSIFY = """
mutation Reclassify($input: ReclassifyVisitInput!) {
  reclassifyVisit(input: $input) {
    __typename
    ... on ReclassifyVisitPayload { journeyId visitCategory counted deskVersion }
    ... on UserError { code message }
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
    conflict = await api.run(RECLASSIFY, expert, input={**change, "category": "FIRST_VISIT"})
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
