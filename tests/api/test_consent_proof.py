"""Consent you can prove: the exact text signed, its hash, who signed and in what capacity.

Templates are published by supervisors as unchangeable versions; a signature stores the
version and its hash, and `consentDocument` shows the text as signed with a fresh hash check.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError

from domain.roles import Role
from domain.store.consents import ConsentSignature, ConsentTemplateVersion
from schema.ids import decode_id, encode_id
from tests.api import documents
from tests.api.audit_support import (
    clinic_of,
    entries_of_request,
    new_request_id,
    raw_client,
    run_traced,
    seen,
)
from tests.api.consent_support import (
    CONSENTS,
    DOCUMENT,
    PUBLISH,
    SVG,
    TEMPLATES,
    at_consent,
    canonical_hash,
    consents,
    new_key,
    publish,
    register_minor,
    run,
    signing,
    texts,
)
from tests.api.consent_support import (
    DEFER_CONSENT as DEFER,
)
from tests.api.consent_support import (
    WITHDRAW_CONSENT as WITHDRAW,
)
from tests.api.flow import PLAN, JourneyDriver, assert_unchanged, end_journey
from tests.api.harness import Api
from tests.api.permission_probe import post
from tests.api.procedure_support import approved_for_a_type

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def test_a_signed_consent_stays_provable_after_the_template_gets_a_new_version(
    fresh_clinic: FreshClinic,
) -> None:
    # Given version 1 of a template in Polish, Russian, Chinese and English
    clinic = await fresh_clinic()
    first = await publish(clinic)
    assert first["version"] == 1
    assert sorted(t["language"] for t in first["texts"]) == ["en", "pl", "ru", "zh"]
    assert first["contentHash"] == canonical_hash(first)
    # And a client who signs it in Russian, drawing the signature, witnessed by the nurse
    client = await clinic.register_client()
    jid = await at_consent(clinic, client)
    signed = await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    assert signed["stage"] == "PAYMENT"
    # When the supervisor publishes version 2 with a new text
    second = await publish(clinic, edition="(revised)")
    assert (second["version"], second["contentHash"] == first["contentHash"]) == (2, False)
    # Then the client's signature names version 1 and its hash
    (signature,) = await consents(clinic, client)
    assert signature["templateVersionId"] == first["id"]
    assert signature["contentHash"] == first["contentHash"]
    assert (signature["language"], signature["capacity"]) == ("ru", "CLIENT")
    assert signature["witnessId"] == clinic.staff[Role.NURSE].account_id
    assert (signature["witnessRole"], signature["signatureFormat"]) == ("NURSE", "SVG_PATH")
    # And its document is the Russian text of version 1 exactly, with the hash still matching
    document = await run(clinic, DOCUMENT, Role.EXPERT, id=signature["id"])
    assert document["__typename"] == "ConsentDocument", document
    (russian,) = [t for t in first["texts"] if t["language"] == "ru"]
    assert document["text"] == russian
    assert document["template"] == {
        "id": first["id"],
        "version": 1,
        "contentHash": first["contentHash"],
    }
    assert document["computedHash"] == first["contentHash"]
    assert (document["hashMatches"], document["signatureData"]) == (True, SVG)
    # And both versions are listed, newest first
    listed = await run(clinic, TEMPLATES, Role.FRONT_DESK, key="filler-procedure")
    assert [v["version"] for v in listed] == [2, 1]
    await end_journey(clinic, jid)


async def test_changing_a_used_template_version_is_refused_by_the_database(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a signed version
    clinic = await fresh_clinic()
    version = await publish(clinic)
    jid = await at_consent(clinic)
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    raw_id = version["id"]
    row = await ConsentTemplateVersion.get(id=decode_id(raw_id, "ConsentTemplateVersion"))
    # When anyone changes or deletes it behind the API's back, by query or by raw SQL
    with pytest.raises(IntegrityError, match="append-only"):
        await ConsentTemplateVersion.filter(id=row.id).update(texts={"en": {}})
    with pytest.raises(IntegrityError, match="append-only"):
        await ConsentTemplateVersion.filter(id=row.id).delete()
    with pytest.raises(IntegrityError, match="append-only"):
        await connections.get("default").execute_query(
            "UPDATE consent_template_version SET content_hash = 'x'"
        )
    with pytest.raises(IntegrityError, match="append-only"):
        await ConsentSignature.filter(template_version_id=row.id).update(content_hash="x")
    # Then the text is as published and the signed document still proves itself
    (signature,) = await ConsentSignature.filter(template_version_id=row.id)
    document = await run(clinic, DOCUMENT, Role.EXPERT, id=_signature_id(signature.id))
    assert (document["hashMatches"], document["template"]["id"]) == (True, raw_id)
    await end_journey(clinic, jid)


def _signature_id(raw: str) -> str:
    return encode_id("ConsentSignature", raw)


async def test_a_minor_cannot_consent_alone(fresh_clinic: FreshClinic) -> None:
    # Given a client of 14 at the consent stage
    clinic = await fresh_clinic()
    await publish(clinic)
    client = await register_minor(clinic)
    jid = await at_consent(clinic, client)
    before = await clinic.journey(jid)
    # When she signs herself
    alone = await clinic.act(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    # Then it is refused, typed, on who signs, with the reason, and nothing is stored
    assert alone["__typename"] == "ValidationFailed", alone
    assert [p["field"] for p in alone["problems"]] == ["capacity"]
    assert "under 18 consents by their guardian" in alone["message"]
    await assert_unchanged(clinic, before)
    assert await consents(clinic, client) == []
    # And a guardian must say how they are related
    unrelated = signing(jid, 1, capacity="GUARDIAN", guardianName="Jan Nowak")
    refused = await clinic.act(documents.SIGN_CONSENT, Role.NURSE, **unrelated)
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["guardianRelation"]
    # When her father signs as her guardian
    guardian = {**unrelated, "guardianRelation": "father"}
    signed = await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **guardian)
    # Then the journey moves on and the signature records him and his capacity
    assert signed["stage"] == "PAYMENT"
    (signature,) = await consents(clinic, client)
    assert (signature["capacity"], signature["guardianName"]) == ("GUARDIAN", "Jan Nowak")
    assert signature["guardianRelation"] == "father"
    await end_journey(clinic, jid)


async def test_a_doubting_client_defers_then_signs(fresh_clinic: FreshClinic) -> None:
    # Given a client at the consent stage who wants to think it over
    clinic = await fresh_clinic()
    await publish(clinic)
    jid = await at_consent(clinic)
    # When the consultant defers the consent for a second talk
    deferred = await clinic.ok(
        DEFER, Role.CONSULTANT, journeyId=jid, note="wants to ask her husband"
    )
    # Then the journey waits in CONSENT and its history says why, without the note
    assert deferred["stage"] == "CONSENT"
    last = deferred["history"][-1]
    assert (last["action"], last["toStage"]) == ("defer_consent", "CONSENT")
    assert "husband" not in last["summary"]
    # When she comes back and signs
    signed = await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    # Then the journey moves on to payment
    assert signed["stage"] == "PAYMENT"
    await end_journey(clinic, jid)


async def test_a_withdrawal_before_treatment_stops_the_journey(fresh_clinic: FreshClinic) -> None:
    # Given a client with nothing signed yet: there is nothing to withdraw
    clinic = await fresh_clinic()
    await publish(clinic)
    client = await clinic.register_client()
    jid = await at_consent(clinic, client)
    early = await clinic.act(WITHDRAW, Role.CONSULTANT, journeyId=jid, kind="PROCEDURE")
    assert early["__typename"] == "ValidationFailed", early
    assert early["problems"] == [{"field": "kind", "message": "no PROCEDURE consent is in force"}]
    # Given she signed and is at payment
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    # When she withdraws her consent at the desk
    stopped = await clinic.ok(WITHDRAW, Role.FRONT_DESK, journeyId=jid, kind="PROCEDURE")
    # Then the journey has stopped, and the signature stays, marked withdrawn
    assert (stopped["stage"], stopped["outcome"]) == ("DECLINED", "DECLINED")
    assert stopped["history"][-1]["summary"] == "PROCEDURE consent withdrawn"
    (signature,) = await consents(clinic, client)
    assert signature["withdrawnAt"] is not None
    document = await run(clinic, DOCUMENT, Role.EXPERT, id=signature["id"])
    assert document["hashMatches"] is True


async def test_a_retried_signature_is_stored_once(fresh_clinic: FreshClinic) -> None:
    # Given a client at the consent stage
    clinic = await fresh_clinic()
    await publish(clinic)
    client = await clinic.register_client()
    jid = await at_consent(clinic, client)
    key = new_key()
    # When the nurse's tablet sends the same signature twice
    first = await clinic.ok(
        documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1), idempotencyKey=key
    )
    again = await clinic.ok(
        documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1), idempotencyKey=key
    )
    # Then both answers agree and there is one signature and one event
    assert again == first
    assert len(await consents(clinic, client)) == 1
    assert [e["action"] for e in first["history"]].count("sign_consent") == 1
    # And the same key with another signer is a conflict, changing nothing
    other = signing(jid, 1, signerName="Someone Else", idempotencyKey=key)
    conflict = await clinic.act(documents.SIGN_CONSENT, Role.NURSE, **other)
    assert conflict["__typename"] == "Conflict", conflict
    assert len(await consents(clinic, client)) == 1
    # And a retried publication is one version
    publish_key = new_key()
    one = await publish(clinic, key="photo-consent", idempotencyKey=publish_key)
    two = await publish(clinic, key="photo-consent", idempotencyKey=publish_key)
    assert one == two
    listed = await run(clinic, TEMPLATES, Role.SUPERVISOR, key="photo-consent")
    assert len(listed) == 1
    await end_journey(clinic, jid)


async def test_bad_templates_and_signatures_are_typed_errors_and_store_nothing(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # A template without its Chinese text is refused
    partial = [t for t in texts() if t["language"] != "zh"]
    input = {"templateKey": "filler-procedure", "procedureType": "filler", "kind": "PROCEDURE"}
    refused = await run(clinic, PUBLISH, Role.SUPERVISOR, input={**input, "texts": partial})
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["message"] for p in refused["problems"]] == ["the text in 'zh' is missing"]
    await publish(clinic)
    client = await clinic.register_client()
    jid = await at_consent(clinic, client)
    before = await clinic.journey(jid)
    # A signature that is not a PNG, one that is markup, an unknown version, a missing language
    cases = [
        ({"signature": {"format": "PNG", "data": "R0lGODlhAQABAAAAACw="}}, "signature.data"),
        ({"signature": {"format": "SVG_PATH", "data": "<script>x</script>"}}, "signature.data"),
        ({"signature": {"format": "PNG", "data": "A" * 400_000}}, "signature.data"),
        ({"templateVersion": "7"}, "templateVersion"),
        # Version 1 in other digits is not version 1; past any column's range is no version
        ({"templateVersion": "\u0661"}, "templateVersion"),
        ({"templateVersion": "\u00b9"}, "templateVersion"),
        ({"templateVersion": "9" * 12}, "templateVersion"),
        ({"language": "de"}, "language"),
    ]
    for change, field in cases:
        result = await clinic.act(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1, **change))
        assert result["__typename"] == "ValidationFailed", (change, result)
        assert [p["field"] for p in result["problems"]] == [field], result
    await assert_unchanged(clinic, before)
    assert await ConsentSignature.filter(client_id=raw_client(client)).count() == 0
    await end_journey(clinic, jid)


async def test_who_may_publish_sign_and_read_consents(fresh_clinic: FreshClinic) -> None:
    clinic = await fresh_clinic()
    template = await publish(clinic)
    client = await clinic.register_client()
    jid = await at_consent(clinic, client)
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    (signature,) = await consents(clinic, client)
    # Only a supervisor publishes
    input = {"templateKey": "x", "procedureType": "filler", "kind": "PROCEDURE", "texts": texts()}
    for role in (Role.NURSE, Role.EXPERT, Role.FRONT_DESK):
        refused = await run(clinic, PUBLISH, role, input=input)
        assert refused["__typename"] == "NotAuthorized", (role, refused)
    # The cashier neither signs nor reads what was signed
    cashier = await clinic.act(documents.SIGN_CONSENT, Role.CASHIER, **signing(jid, 1))
    assert cashier["__typename"] == "NotAuthorized", cashier
    url = clinic.api.url
    answer = await post(url, clinic.token(Role.CASHIER), DOCUMENT, {"id": signature["id"]})
    assert answer["data"]["consentDocument"]["__typename"] == "NotAuthorized", answer
    consents_read = await post(url, clinic.token(Role.CASHIER), CONSENTS, {"id": client})
    assert consents_read["data"]["client"]["consents"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in consents_read["errors"]] == [
        (["client", "consents"], "NOT_AUTHORIZED")
    ]
    # Another clinic's expert does not find it
    other = await fresh_clinic()
    hidden = await run(other, DOCUMENT, Role.EXPERT, id=signature["id"])
    assert hidden["__typename"] == "NotFound", hidden
    assert await run(other, TEMPLATES, Role.EXPERT, key=template["templateKey"]) == []
    await end_journey(clinic, jid)


async def test_every_read_of_a_consent_leaves_an_audit_entry(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given a signed consent
    clinic = await fresh_clinic()
    await publish(clinic)
    client = await clinic.register_client()
    jid = await at_consent(clinic, client)
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    (signature,) = await consents(clinic, client)
    clinic_id, raw = await clinic_of(clinic), raw_client(client)
    # When the expert reads the client's consents, then one document
    listed, shown = new_request_id(), new_request_id()
    await run_traced(api, CONSENTS, clinic.token(Role.EXPERT), listed, id=client)
    await run_traced(api, DOCUMENT, clinic.token(Role.EXPERT), shown, id=signature["id"])
    # Then each read left its entry: who, which client, what
    reads = [(raw, "client.read"), (raw, "client.consents.read")]
    assert sorted(await entries_of_request(listed)) == sorted(
        seen(clinic, Role.EXPERT, clinic_id, listed, *reads)
    )
    assert await entries_of_request(shown) == seen(
        clinic, Role.EXPERT, clinic_id, shown, (raw, "client.consent_document.read")
    )
    await end_journey(clinic, jid)


async def test_a_procedure_consent_is_the_planned_procedure_type_s(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey whose approved plan names a procedure type, and a filler template
    clinic = await fresh_clinic()
    type_key = f"tox-{uuid.uuid4().hex[:6]}"
    jid, _ = await approved_for_a_type(clinic, type_key)
    await publish(clinic)  # "filler-procedure", for the type "filler"
    # When the client signs the filler template for it
    refused = await clinic.act(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    # Then it is refused, naming both, and the journey waits for the right one
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {"field": "templateId", "message": f"this template is for filler; the plan is {type_key}"}
    ]
    await publish(clinic, key="tox-procedure", procedureType=type_key)
    signed = await clinic.act(
        documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1, templateId="tox-procedure")
    )
    assert signed["__typename"] == "JourneyPayload", signed


async def test_an_anesthesia_consent_is_taken_by_a_doctor(fresh_clinic: FreshClinic) -> None:
    # Given a plan with anesthesia, its procedure consent signed
    clinic = await fresh_clinic()
    journey = await clinic.drive_to("EXPERT_REVIEW")
    jid = journey["id"]
    plan = {**PLAN, "requiresAnesthesia": True}
    approval = {
        "journeyId": jid,
        "decision": "APPROVE",
        "points": "as discussed",
        "finalPlan": plan,
    }
    await clinic.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    await clinic.sign_consent(jid)
    anesthesia = {
        "journeyId": jid,
        "kind": "ANESTHESIA",
        "signerName": "Anna Nowak",
        "templateId": "anesthesia-consent",
        "templateVersion": "1",
        "language": "pl",
        "rightsExplained": True,
    }
    # When a nurse takes the anesthesia consent, it is refused (seed 002: the anesthetist does)
    by_nurse = await clinic.act(documents.SIGN_CONSENT, Role.NURSE, **anesthesia)
    assert by_nurse["__typename"] == "NotAuthorized", by_nurse
    # While the doctor takes it, and the journey goes on to payment
    by_doctor = await clinic.act(documents.SIGN_CONSENT, Role.EXPERT, **anesthesia)
    assert by_doctor["__typename"] == "JourneyPayload", by_doctor
    assert by_doctor["journey"]["stage"] == "PAYMENT"
