"""`Journey.requiredConsents` says what the consent-signing screen still needs, and agrees with
what the journey accepts: a journey with anesthesia and one without are walked through CONSENT,
the field read before and after each signature and after a withdrawal, and moving past CONSENT
(a payment, the treatment) is refused exactly while the field lists a consent unsigned."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.consent_support import DOCUMENT, WITHDRAW_CONSENT, publish, run, signing
from tests.api.flow import CHECKS, PLAN, JourneyDriver, assert_unchanged, end_journey, new_key
from tests.api.permission_probe import post
from tests.sql_statements import statements_naming

FreshClinic = Callable[[], Awaitable[JourneyDriver]]

REQUIRED = """
query Required($id: ID!) {
  journey(id: $id) {
    ... on Journey {
      stage requiredConsents { kind signed signatureId }
    }
  }
}
"""


async def _read(clinic: JourneyDriver, jid: str) -> dict[str, Any]:
    data = await clinic.api.run(REQUIRED, clinic.token(Role.NURSE), id=jid)
    return data["journey"]  # type: ignore[no-any-return]


def _shown(journey: dict[str, Any]) -> list[tuple[str, bool, bool]] | None:
    """The field as (kind, signed, whether a signature id is given)."""
    listed = journey["requiredConsents"]
    if listed is None:
        return None
    return [(c["kind"], c["signed"], c["signatureId"] is not None) for c in listed]


async def _agrees(clinic: JourneyDriver, jid: str) -> dict[str, Any]:
    """The journey read now, checked against what it accepts: it waits in CONSENT exactly while
    the field lists one unsigned, and there the payment and the treatment are refused."""
    journey = await _read(clinic, jid)
    unsigned = [c["kind"] for c in journey["requiredConsents"] if not c["signed"]]
    assert (journey["stage"] == "CONSENT") == bool(unsigned), journey
    if journey["stage"] == "CONSENT":
        before = await clinic.journey(jid)
        pay = {"amount": PLAN["price"], "currency": "EUR", "method": "CARD", "kind": "FULL"}
        paid = await clinic.act(documents.RECORD_PAYMENT, Role.CASHIER, journeyId=jid, **pay)
        assert paid["__typename"] == "TransitionNotAllowed", paid
        checks = {"journeyId": jid, "checks": CHECKS}
        started = await clinic.act(documents.START_TREATMENT, Role.NURSE, **checks)
        assert started["__typename"] == "TransitionNotAllowed", started
        await assert_unchanged(clinic, before)
    return journey


async def _sign(clinic: JourneyDriver, role: Role, jid: str, **consent: Any) -> dict[str, Any]:
    return await clinic.ok(documents.SIGN_CONSENT, role, **signing(jid, 1, **consent))


async def _document(clinic: JourneyDriver, signature_id: str) -> dict[str, Any]:
    found = await run(clinic, DOCUMENT, Role.EXPERT, id=signature_id)
    assert found["__typename"] == "ConsentDocument", found
    return found["signature"]  # type: ignore[no-any-return]


async def _at_review(clinic: JourneyDriver) -> str:
    journey = await clinic.drive_to("EXPERT_REVIEW")
    # Before the approval the journey cannot say whether anesthesia will be needed
    assert _shown(await _read(clinic, journey["id"])) is None
    return journey["id"]  # type: ignore[no-any-return]


async def test_a_plan_with_anesthesia_waits_for_both_consents_and_shows_each_signature(
    fresh_clinic: FreshClinic,
) -> None:
    # Given published procedure and anesthesia consents, and a plan with anesthesia approved
    clinic = await fresh_clinic()
    await publish(clinic)
    await publish(clinic, key="anesthesia-consent", kind="ANESTHESIA")
    jid = await _at_review(clinic)
    await clinic.approve(jid, requiresAnesthesia=True)
    # Then both consents are listed, neither signed, and the journey waits for them
    journey = await _agrees(clinic, jid)
    assert _shown(journey) == [("PROCEDURE", False, False), ("ANESTHESIA", False, False)]
    # When the procedure consent is signed, it shows signed with its signature; still waiting
    await _sign(clinic, Role.NURSE, jid)
    journey = await _agrees(clinic, jid)
    assert _shown(journey) == [("PROCEDURE", True, True), ("ANESTHESIA", False, False)]
    procedure_id = journey["requiredConsents"][0]["signatureId"]
    signature = await _document(clinic, procedure_id)
    assert (signature["kind"], signature["journeyId"], signature["withdrawnAt"]) == (
        "PROCEDURE",
        jid,
        None,
    )
    # When the doctor takes the anesthesia consent, nothing is unsigned and the journey moved on
    await _sign(clinic, Role.EXPERT, jid, kind="ANESTHESIA", templateId="anesthesia-consent")
    journey = await _agrees(clinic, jid)
    assert journey["stage"] == "PAYMENT"
    assert _shown(journey) == [("PROCEDURE", True, True), ("ANESTHESIA", True, True)]
    anesthesia_id = journey["requiredConsents"][1]["signatureId"]
    assert (await _document(clinic, anesthesia_id))["kind"] == "ANESTHESIA"
    # When the client withdraws the anesthesia consent before the treatment
    withdrawal = {"journeyId": jid, "kind": "ANESTHESIA", "idempotencyKey": new_key()}
    await clinic.ok(WITHDRAW_CONSENT, Role.NURSE, **withdrawal)
    # Then the journey is declined, and the field shows that consent no longer in force
    journey = await _read(clinic, jid)
    assert journey["stage"] == "DECLINED"
    assert _shown(journey) == [("PROCEDURE", True, True), ("ANESTHESIA", False, False)]
    assert journey["requiredConsents"][0]["signatureId"] == procedure_id
    assert (await _document(clinic, anesthesia_id))["withdrawnAt"] is not None


async def test_a_plan_without_anesthesia_waits_for_the_procedure_consent_alone(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a published anesthesia consent, and a plan without anesthesia approved
    clinic = await fresh_clinic()
    await publish(clinic, key="anesthesia-consent", kind="ANESTHESIA")
    jid = await _at_review(clinic)
    await clinic.approve(jid)
    # Then the procedure consent alone is listed, unsigned
    journey = await _agrees(clinic, jid)
    assert _shown(journey) == [("PROCEDURE", False, False)]
    # When an anesthesia consent the plan does not need is signed, nothing listed changes
    await _sign(clinic, Role.EXPERT, jid, kind="ANESTHESIA", templateId="anesthesia-consent")
    journey = await _agrees(clinic, jid)
    assert _shown(journey) == [("PROCEDURE", False, False)]
    # When the procedure consent is signed on a paper form (nothing published under its key)
    await clinic.sign_consent(jid)
    # Then it shows signed with no signature to show, and the journey moved on
    journey = await _agrees(clinic, jid)
    assert journey["stage"] == "PAYMENT"
    assert _shown(journey) == [("PROCEDURE", True, False)]
    # When the anesthesia consent is withdrawn, the journey goes on and the field is as it was
    withdrawal = {"journeyId": jid, "kind": "ANESTHESIA", "idempotencyKey": new_key()}
    await clinic.ok(WITHDRAW_CONSENT, Role.NURSE, **withdrawal)
    journey = await _agrees(clinic, jid)
    assert journey["stage"] == "PAYMENT"
    assert _shown(journey) == [("PROCEDURE", True, False)]
    # When the client pays and is treated, then withdraws the procedure consent
    await clinic.pay(jid)
    await clinic.start_treatment(jid)
    withdrawal = {"journeyId": jid, "kind": "PROCEDURE", "idempotencyKey": new_key()}
    await clinic.ok(WITHDRAW_CONSENT, Role.NURSE, **withdrawal)
    # Then the treatment goes on, and the field shows the procedure consent no longer in force
    journey = await _read(clinic, jid)
    assert journey["stage"] == "TREATMENT"
    assert _shown(journey) == [("PROCEDURE", False, False)]


async def test_a_recheck_lists_no_consent(driver: JourneyDriver) -> None:
    # Given a treated client back for a recheck, which treats what was already consented
    client = await driver.register_client()
    treated = await driver.drive_to("FOLLOW_UP", await driver.start(client))
    recheck = await driver.start(client, recheck=True)
    assert recheck["visitCategory"] == "RECHECK"
    doctor = driver.staff[Role.EXPERT].global_id  # a recheck goes to a doctor or a nurse
    journey = await driver.ok(
        documents.ASSIGN_CONSULTANT, Role.FRONT_DESK, journeyId=recheck["id"], consultantId=doctor
    )
    assert journey["stage"] == "TREATMENT"
    # Then it lists no consent to sign, while the treated journey still lists its own
    assert _shown(await _read(driver, recheck["id"])) == []
    assert _shown(await _read(driver, treated["id"])) == [("PROCEDURE", True, False)]
    await end_journey(driver, recheck["id"])


async def test_roles_that_may_not_read_the_clients_consents_get_null(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey waiting in CONSENT
    clinic = await fresh_clinic()
    jid = await _at_review(clinic)
    await clinic.approve(jid)
    # When the cashier reads its required consents
    query = "query($id: ID!) { journey(id: $id) { ... on Journey { requiredConsents { kind } } } }"
    answer = await post(clinic.api.url, clinic.token(Role.CASHIER), query, {"id": jid})
    # Then it is null with a NOT_AUTHORIZED entry, as `Client.consents` answers her
    assert answer["data"]["journey"]["requiredConsents"] is None
    codes = [(e["path"], e["extensions"]["code"]) for e in answer["errors"]]
    assert codes == [(["journey", "requiredConsents"], "NOT_AUTHORIZED")]


LISTED = """
query Listed {
  journeys(first: 10, filter: {stage: PAYMENT}) {
    ... on JourneyConnection { edges { node { id requiredConsents { kind signed signatureId } } } }
  }
}
"""


async def _signed(clinic: JourneyDriver) -> str:
    """A journey of a new client whose procedure consent is signed on the published form."""
    jid = await _at_review(clinic)
    await clinic.approve(jid)
    await _sign(clinic, Role.NURSE, jid, idempotencyKey=new_key())
    return jid


async def test_a_page_of_journeys_reads_their_signatures_in_one_batch(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a clinic with one journey whose procedure consent is signed
    clinic = await fresh_clinic()
    await publish(clinic)
    journeys = [await _signed(clinic)]
    with statements_naming("consent_signature") as one:
        await clinic.api.run(LISTED, clinic.token(Role.NURSE))
    # When three more are listed with it
    journeys += [await _signed(clinic) for _ in range(3)]
    with statements_naming("consent_signature") as four:
        data = await clinic.api.run(LISTED, clinic.token(Role.NURSE))
    # Then each shows its own signature, and the four cost the reads of one
    nodes = {edge["node"]["id"]: edge["node"] for edge in data["journeys"]["edges"]}
    shown = [nodes[jid]["requiredConsents"] for jid in journeys]
    assert [[(c["kind"], c["signed"]) for c in s] for s in shown] == [[("PROCEDURE", True)]] * 4
    ids = {s[0]["signatureId"] for s in shown}
    assert None not in ids and len(ids) == 4
    for jid, consents in zip(journeys, shown, strict=True):
        assert (await _document(clinic, consents[0]["signatureId"]))["journeyId"] == jid
    assert len(one) == 1 and len(four) == 1, (one, four)
