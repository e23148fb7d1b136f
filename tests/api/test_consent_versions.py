"""Which version of a consent template a client signs: the newest in her language.

A tablet still showing a version that a newer one replaced (revised risks, say) must not get a
client to sign the corrected text's predecessor; a language only an older version has stays
signable on that version. A newer version is the same consent reworded: one of another kind or
for another procedure type would replace a consent it is not, so it is refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from domain.roles import Role
from domain.store.consents import ConsentTemplateVersion
from domain.store.models import IdempotencyKey
from tests.api import documents
from tests.api.audit_support import clinic_of
from tests.api.consent_support import (
    PUBLISH,
    TEMPLATES,
    at_consent,
    consents,
    new_key,
    publish,
    run,
    signing,
    texts,
)
from tests.api.flow import JourneyDriver, assert_unchanged, end_journey

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def test_a_version_replaced_in_the_signer_s_language_is_not_signed(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client who signed version 1 of the filler consent
    clinic = await fresh_clinic()
    await publish(clinic)
    earlier = await at_consent(clinic)
    key = new_key()
    first = await clinic.ok(
        documents.SIGN_CONSENT, Role.NURSE, **signing(earlier, 1), idempotencyKey=key
    )
    # And version 2 with revised risks published since
    await publish(clinic, edition="(revised risks)")
    client = await clinic.register_client()
    jid = await at_consent(clinic, client)
    before = await clinic.journey(jid)
    # When a tablet still showing version 1 sends the next client's signature
    old = await clinic.act(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    # Then it is refused naming the version to sign, and nothing is stored
    assert old["__typename"] == "ValidationFailed", old
    replaced = "version 1 was replaced by version 2: sign that one"
    assert old["problems"] == [{"field": "templateVersion", "message": replaced}]
    await assert_unchanged(clinic, before)
    assert await consents(clinic, client) == []
    # And version 2 is signed
    signed = await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 2))
    assert signed["stage"] == "PAYMENT"
    # And the signature made before version 2, retried, is answered as it was
    again = await clinic.ok(
        documents.SIGN_CONSENT, Role.NURSE, **signing(earlier, 1), idempotencyKey=key
    )
    assert again == first
    await end_journey(clinic, jid)
    await end_journey(clinic, earlier)


async def test_an_older_version_stays_signable_in_a_language_only_it_has(
    fresh_clinic: FreshClinic,
) -> None:
    # Given version 1 also in Ukrainian, and version 2 without it
    clinic = await fresh_clinic()
    ukrainian = {**texts()[0], "language": "uk"}
    await publish(clinic, texts=[*texts(), ukrainian])
    await publish(clinic, edition="(revised risks)")
    jid = await at_consent(clinic)
    # When a client reading Ukrainian signs version 1, then it is her text to sign
    signed = await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1, language="uk"))
    assert signed["stage"] == "PAYMENT"
    await end_journey(clinic, jid)


async def test_a_new_version_keeps_the_template_s_kind_and_procedure_type(
    fresh_clinic: FreshClinic,
) -> None:
    # Given version 1 of the filler procedure consent, and a client about to sign it
    clinic = await fresh_clinic()
    await publish(clinic)
    jid = await at_consent(clinic)
    clinic_id = await clinic_of(clinic)
    key = new_key()
    # When a supervisor publishes under its key a photo consent, one for another procedure,
    # and one changing both
    changes = {
        "kind": {"kind": "PHOTO"},
        "procedureType": {"procedureType": "botox"},
        "kind procedureType": {"kind": "DATA_PROCESSING", "procedureType": "data"},
    }
    for fields, change in changes.items():
        input = {**_filler_input(edition="(another consent)"), **change, "idempotencyKey": key}
        refused = await run(clinic, PUBLISH, Role.SUPERVISOR, input=input)
        # Then each is refused on the field it changes, and sent again it is refused again
        assert refused["__typename"] == "ValidationFailed", refused
        assert [p["field"] for p in refused["problems"]] == fields.split(), refused
        again = await run(clinic, PUBLISH, Role.SUPERVISOR, input=input)
        assert again == refused
    assert refused["problems"] == [
        {"field": "kind", "message": KIND_KEPT},
        {"field": "procedureType", "message": TYPE_KEPT},
    ]
    # And nothing is written: no version, and the key claimed for none of them
    listed = await run(clinic, TEMPLATES, Role.FRONT_DESK, key="filler-procedure")
    assert [(v["version"], v["kind"], v["procedureType"]) for v in listed] == [
        (1, "PROCEDURE", "filler")
    ]
    assert await ConsentTemplateVersion.filter(clinic_id=clinic_id).count() == 1
    supervisor = clinic.staff[Role.SUPERVISOR].account_id
    assert not await IdempotencyKey.exists(account_id=supervisor, key=key)
    # And version 1 is still the one to sign
    signed = await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(jid, 1))
    assert signed["stage"] == "PAYMENT"
    # And a new text of the same consent is version 2, under that key
    kept = await run(
        clinic,
        PUBLISH,
        Role.SUPERVISOR,
        input={**_filler_input("(revised)"), "idempotencyKey": key},
    )
    assert kept["__typename"] == "ConsentTemplatePayload", kept
    assert (kept["template"]["version"], kept["template"]["kind"]) == (2, "PROCEDURE")
    await end_journey(clinic, jid)


async def test_first_versions_published_at_once_as_two_consents_make_one_template(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a template key nothing was published under yet
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    # When two supervisors publish its first version at once, one as a photo consent
    procedure = {**_filler_input(), "idempotencyKey": new_key()}
    photo = {**_filler_input(), "kind": "PHOTO", "idempotencyKey": new_key()}
    answers = await asyncio.gather(
        run(clinic, PUBLISH, Role.SUPERVISOR, input=procedure),
        run(clinic, PUBLISH, Role.SUPERVISOR, input=photo),
    )
    # Then one is published as version 1, and the other refused on the kind
    kinds = sorted(a["__typename"] for a in answers)
    assert kinds == ["ConsentTemplatePayload", "ValidationFailed"], answers
    (published,) = [a["template"] for a in answers if "template" in a]
    (refused,) = [a for a in answers if "problems" in a]
    assert published["version"] == 1
    assert [p["field"] for p in refused["problems"]] == ["kind"], refused
    # And the template holds that one version
    versions = await ConsentTemplateVersion.filter(clinic_id=clinic_id).values_list(
        "version", "kind"
    )
    assert versions == [(1, published["kind"])]
    # And the refused request, sent again, is refused again, writing nothing
    loser = procedure if published["kind"] == "PHOTO" else photo
    assert await run(clinic, PUBLISH, Role.SUPERVISOR, input=loser) == refused
    assert await ConsentTemplateVersion.filter(clinic_id=clinic_id).count() == 1


KIND_KEPT = (
    "filler-procedure is a PROCEDURE consent (version 1): a new version keeps the kind; "
    "another consent is another template"
)
TYPE_KEPT = (
    "filler-procedure is for filler (version 1): a new version keeps the procedure type; "
    "another procedure's consent is another template"
)


def _filler_input(edition: str = "") -> dict[str, object]:
    return {
        "templateKey": "filler-procedure",
        "procedureType": "filler",
        "kind": "PROCEDURE",
        "texts": texts(edition),
    }
