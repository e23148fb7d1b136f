"""Which version of a consent template a client signs: the newest in her language.

A tablet still showing a version that a newer one replaced (revised risks, say) must not get a
client to sign the corrected text's predecessor; a language only an older version has stays
signable on that version.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.roles import Role
from tests.api import documents
from tests.api.consent_support import at_consent, consents, new_key, publish, signing, texts
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
