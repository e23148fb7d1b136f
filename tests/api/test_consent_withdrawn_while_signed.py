"""A consent withdrawn while its signature is being written: the journey took the signing step,
then the withdrawal's step, before the signing request wrote its signature row. The withdrawal
found no signature to mark, and the signature, written after it, stood in force while the
journey counted the consent withdrawn. The withdrawal is sent over HTTP, and answered, between
the signing step and its row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.roles import Role
from domain.store.consents import ConsentSignature, ConsentWithdrawal
from domain.store.disclosures import sharing_consent
from schema.ids import decode_id
from schema.journeys import consent
from tests.api import documents
from tests.api.consent_support import WITHDRAW_CONSENT, consents, publish
from tests.api.flow import JourneyDriver, new_key

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def test_a_withdrawal_taken_before_the_signature_was_written_withdraws_it(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a journey at CONSENT, and its client's withdrawal of her consent to share her file
    # sent right after the journey took its signing, before the signature's row is written
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    jid = (await clinic.drive_to("CONSENT", await clinic.start(client)))["id"]
    template = await publish(clinic, "file-sharing", kind="DATA_SHARING", procedureType="file")
    withdrawal = {"journeyId": jid, "kind": "DATA_SHARING", "idempotencyKey": new_key()}
    real_write = consent.write_signature
    withdrawn: list[dict[str, Any]] = []

    async def withdrawn_first(*args: Any, **kwargs: Any) -> Any:
        if not withdrawn:
            withdrawn.append(await clinic.act(WITHDRAW_CONSENT, Role.FRONT_DESK, **withdrawal))
        return await real_write(*args, **kwargs)

    monkeypatch.setattr(consent, "write_signature", withdrawn_first)
    # When the consent is signed
    signing = {
        "journeyId": jid,
        "kind": "DATA_SHARING",
        "signerName": "Anna Nowak",
        "templateId": "file-sharing",
        "templateVersion": str(template["version"]),
        "signature": {"format": "SVG_PATH", "data": "M 10 10 L 20 20"},
        "rightsExplained": True,
        "idempotencyKey": new_key(),
    }
    signed = await clinic.act(documents.SIGN_CONSENT, Role.NURSE, **signing)
    # Then both steps were taken, the signing first
    assert signed["__typename"] == "JourneyPayload", signed
    (taken,) = withdrawn
    assert taken["__typename"] == "JourneyPayload", taken
    # And the signature is in the file, withdrawn, as the journey counts it
    listed = await consents(clinic, client)
    (signature,) = listed
    assert signature["kind"] == "DATA_SHARING"
    assert signature["withdrawnAt"] is not None, signature
    rows = ConsentSignature.filter(journey_id=decode_id(jid, "Journey"))
    (row_id,) = await rows.values_list("id", flat=True)
    assert await ConsentWithdrawal.filter(signature_id=row_id).count() == 1
    # And no disclosure of her file stands on it
    assert (await sharing_consent(str(decode_id(client, "Client"))))[0] is None
    # And a retry of the withdrawal answers as the first time, withdrawing nothing more
    again = await clinic.act(WITHDRAW_CONSENT, Role.FRONT_DESK, **withdrawal)
    assert again == taken
    assert await ConsentWithdrawal.filter(signature_id=row_id).count() == 1
