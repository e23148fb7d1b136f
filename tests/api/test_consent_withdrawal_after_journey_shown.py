"""What an SPA sees of a consent that outlives its ended journey: `availableActions` (and a
refusal's `allowedActions`) offer its withdrawal while a PHOTO or DATA_PROCESSING consent of the
journey is in force; once withdrawn, `history` shows it after the journey's last event, its note
in `details` for those who read consent records; a page of journeys costs the same reads as one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.models import JourneyEvent
from schema.ids import decode_id
from tests.api import documents
from tests.api.consent_support import WITHDRAW_CONSENT, sign_data_processing_consent
from tests.api.flow import JourneyDriver, new_key
from tests.api.photo_support import sign_photo_consent
from tests.sql_statements import statements_naming

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
SHOWN = """
query Shown($id: ID!, $after: Int, $first: Int) {
  journey(id: $id) {
    ... on Journey {
      lastEventSeq
      availableActions { action allowed reason }
      history(afterSeq: $after, first: $first) {
        seq action fromStage toStage actorId actorRole at atLocal summary
      }
    }
  }
}
"""
DETAILS = """
query Details($id: ID!) {
  journey(id: $id) { ... on Journey { history { seq action details amendments { id } } } }
}
"""
LISTED = """
query Listed {
  journeys(first: 10) {
    ... on JourneyConnection {
      edges {
        node { id availableActions { action allowed } history(first: 50) { seq action summary } }
      }
    }
  }
}
"""


async def _shown(clinic: JourneyDriver, jid: str, role: Role, **page: int) -> dict[str, Any]:
    data = await clinic.api.run(SHOWN, clinic.token(role), id=jid, **page)
    return data["journey"]  # type: ignore[no-any-return]


def _withdrawal_offer(journey: dict[str, Any]) -> dict[str, Any]:
    return next(a for a in journey["availableActions"] if a["action"] == "WITHDRAW_CONSENT")


async def _withdraw(clinic: JourneyDriver, jid: str, kind: str, **extra: Any) -> dict[str, Any]:
    given = {"journeyId": jid, "kind": kind, "idempotencyKey": new_key(), **extra}
    return await clinic.ok(WITHDRAW_CONSENT, Role.FRONT_DESK, **given)


async def _cancelled_with_photo_consent(clinic: JourneyDriver) -> str:
    """A client's journey cancelled after she signed a paper PHOTO consent in it."""
    client = await clinic.register_client()
    journey = await clinic.drive_to("CONSENT", await clinic.start(client))
    await sign_photo_consent(clinic, journey["id"], ["MARKETING"])
    cancel = {"journeyId": journey["id"], "reason": "moved away"}
    await clinic.ok(documents.CANCEL_JOURNEY, Role.FRONT_DESK, **cancel)
    return journey["id"]  # type: ignore[no-any-return]


async def test_an_ended_journey_offers_the_withdrawal_of_a_photo_consent_in_force(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey cancelled after a PHOTO consent was signed in it
    clinic = await fresh_clinic()
    jid = await _cancelled_with_photo_consent(clinic)
    # Then the roles that may withdraw a consent are offered its withdrawal; others are not
    for role in (Role.FRONT_DESK, Role.CONSULTANT, Role.NURSE):
        offer = _withdrawal_offer(await _shown(clinic, jid, role))
        assert (offer["allowed"], offer["reason"]) == (True, None), (role, offer)
    by_cashier = _withdrawal_offer(await _shown(clinic, jid, Role.CASHIER))
    assert by_cashier["allowed"] is False
    assert by_cashier["reason"].startswith("WITHDRAW_CONSENT needs one of"), by_cashier
    # And a step the ended journey refuses names it among what may be done
    again = {"journeyId": jid, "reason": "again"}
    refused = await clinic.act(documents.CANCEL_JOURNEY, Role.FRONT_DESK, **again)
    assert (refused["__typename"], refused["allowedActions"]) == (
        "TransitionNotAllowed",
        ["WITHDRAW_CONSENT"],
    ), refused
    # When it is withdrawn
    withdrawn = await _withdraw(clinic, jid, "PHOTO")
    # Then nothing is left to withdraw: the offer is gone, from the answer and from the refusal
    assert withdrawn["stage"] == "CANCELLED"
    offer = _withdrawal_offer(await _shown(clinic, jid, Role.FRONT_DESK))
    assert (offer["allowed"], offer["reason"]) == (False, "the journey has ended (CANCELLED)")
    refused = await clinic.act(documents.CANCEL_JOURNEY, Role.FRONT_DESK, **again)
    assert refused["allowedActions"] == [], refused


async def test_an_ended_journey_without_a_consent_that_outlives_it_offers_nothing(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey cancelled after only its procedure consent was signed
    clinic = await fresh_clinic()
    jid = (await clinic.drive_to("CONSENT"))["id"]
    await clinic.sign_consent(jid)
    await clinic.ok(documents.CANCEL_JOURNEY, Role.FRONT_DESK, journeyId=jid, reason="no date")
    # Then no action is offered to anyone: that consent is history
    shown = await _shown(clinic, jid, Role.FRONT_DESK)
    assert [a["action"] for a in shown["availableActions"] if a["allowed"]] == []
    offer = _withdrawal_offer(shown)
    assert offer["reason"] == "the journey has ended (CANCELLED)"


async def test_a_withdrawal_after_the_journey_follows_its_last_event_in_history(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey cancelled after PHOTO and DATA_PROCESSING consents were signed in it
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    jid = (await clinic.drive_to("CONSENT", await clinic.start(client)))["id"]
    await sign_photo_consent(clinic, jid, ["MARKETING"])
    await sign_data_processing_consent(clinic, jid)
    cancel = {"journeyId": jid, "reason": "moved away"}
    await clinic.ok(documents.CANCEL_JOURNEY, Role.FRONT_DESK, **cancel)
    ended = await _shown(clinic, jid, Role.SUPERVISOR)
    last = ended["lastEventSeq"]
    assert [e["seq"] for e in ended["history"]] == list(range(1, last + 1))
    journey_id = decode_id(jid, "Journey")
    events = await JourneyEvent.filter(journey_id=journey_id).count()
    # When the front desk withdraws the photo consent, and the nurse then the data consent
    await _withdraw(clinic, jid, "PHOTO", note="no more photos, please")
    data = {"journeyId": jid, "kind": "DATA_PROCESSING", "idempotencyKey": new_key()}
    answer = await clinic.ok(WITHDRAW_CONSENT, Role.NURSE, **data)
    # Then the history shows each after the last event, in the order they were withdrawn: by
    # whom, when, of which consent; the answer shows them too
    shown = await _shown(clinic, jid, Role.SUPERVISOR)
    assert shown["lastEventSeq"] == last
    assert shown["history"][:last] == ended["history"]
    photo, data_processing = shown["history"][last:]
    assert {k: photo[k] for k in ("seq", "action", "fromStage", "toStage", "actorRole")} == {
        "seq": last + 1,
        "action": "withdraw_consent",
        "fromStage": "CANCELLED",
        "toStage": "CANCELLED",
        "actorRole": "FRONT_DESK",
    }
    assert photo["actorId"] == clinic.staff[Role.FRONT_DESK].account_id
    assert photo["summary"] == "PHOTO consent withdrawn after the journey ended"
    assert photo["at"] <= data_processing["at"] and photo["atLocal"]
    assert (data_processing["seq"], data_processing["actorRole"]) == (last + 2, "NURSE")
    assert data_processing["summary"] == "DATA_PROCESSING consent withdrawn after the journey ended"
    answered = [(e["seq"], e["action"], e["summary"]) for e in answer["history"][last:]]
    assert answered == [(e["seq"], e["action"], e["summary"]) for e in (photo, data_processing)]
    # And the journey's own events are as they were: nothing was added to them
    assert await JourneyEvent.filter(journey_id=journey_id).count() == events
    # And the history is read in bounded pages, these entries too
    page = await _shown(clinic, jid, Role.SUPERVISOR, after=last - 1, first=2)
    assert [e["seq"] for e in page["history"]] == [last, last + 1]
    page = await _shown(clinic, jid, Role.SUPERVISOR, after=last + 1, first=500)
    assert page["history"] == [data_processing]
    page = await _shown(clinic, jid, Role.SUPERVISOR, after=last - 1, first=1)
    assert [e["seq"] for e in page["history"]] == [last]


async def test_the_note_of_a_withdrawal_after_the_journey_is_the_clinicians_to_read(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a photo consent withdrawn after its journey was cancelled, with what the client said
    clinic = await fresh_clinic()
    jid = await _cancelled_with_photo_consent(clinic)
    await _withdraw(clinic, jid, "PHOTO", note="no more photos, please")
    # Then a clinician reads the note where the history shows the withdrawal, as a running
    # journey's withdrawal shows it; it has no amendments
    data = await clinic.api.run(DETAILS, clinic.token(Role.NURSE), id=jid)
    withdrawal = data["journey"]["history"][-1]
    assert withdrawal["action"] == "withdraw_consent"
    assert withdrawal["details"] == {"kind": "PHOTO", "note": "no more photos, please"}
    assert withdrawal["amendments"] == []
    # And the front desk, who took it, does not: consent records are the clinicians'
    with pytest.raises(TransportQueryError) as refused:
        await clinic.api.run(DETAILS, clinic.token(Role.FRONT_DESK), id=jid)
    assert refused.value.errors is not None
    assert {e["extensions"]["code"] for e in refused.value.errors} == {"NOT_AUTHORIZED"}


async def test_a_page_of_ended_journeys_reads_their_withdrawals_in_one_batch(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a clinic with one ended journey whose photo consent was withdrawn since
    clinic = await fresh_clinic()
    journeys = [await _cancelled_with_photo_consent(clinic)]
    await _withdraw(clinic, journeys[0], "PHOTO")
    with statements_naming("consent_withdrawal_after_journey") as one:
        await clinic.api.run(LISTED, clinic.token(Role.FRONT_DESK))
    # When three more ended journeys are listed with it, one of them withdrawn since too
    journeys += [await _cancelled_with_photo_consent(clinic) for _ in range(3)]
    await _withdraw(clinic, journeys[1], "PHOTO")
    with statements_naming("consent_withdrawal_after_journey") as four:
        data = await clinic.api.run(LISTED, clinic.token(Role.FRONT_DESK))
    # Then each shows its own: the withdrawn ones in history and not offered, the others offered
    nodes = {edge["node"]["id"]: edge["node"] for edge in data["journeys"]["edges"]}
    for jid in journeys:
        node = nodes[jid]
        withdrawn = jid in journeys[:2]
        assert _withdrawal_offer(node)["allowed"] is not withdrawn, node
        late = [e for e in node["history"] if e["summary"].endswith("after the journey ended")]
        assert len(late) == int(withdrawn), node
    # And the four cost the reads of one
    assert one and len(four) == len(one), (one, four)
