"""The canary's sharing of a client's file: the clinic names its records custodian, the client
signs a DATA_SHARING consent on a published template (every text marked), and a disclosure to
someone outside the clinic is recorded on it (its recipient, organisation and purpose marked);
then the client signs it for herself, in no journey, and withdraws it."""

from __future__ import annotations

from domain.roles import Role
from tests.api.canary_visits import Visit

LANGUAGES = ("pl", "ru", "zh", "en")
TEMPLATE = "file-sharing"


async def share_the_file(visit: Visit, journey: str, client: str) -> None:
    """On `journey`, waiting in CONSENT, the client's DATA_SHARING consent; then a disclosure."""
    custodian = {"staffId": visit.staff[Role.SUPERVISOR].global_id}
    await visit.call(Role.SUPERVISOR, "setRecordsCustodian", "RecordsCustodianPayload", **custodian)
    await visit.call(
        Role.SUPERVISOR,
        "publishConsentTemplate",
        "ConsentTemplatePayload",
        templateKey=TEMPLATE,
        procedureType="client-file",
        kind="DATA_SHARING",
        texts=[{"language": language} for language in LANGUAGES],
    )
    consent = {
        "kind": "DATA_SHARING",
        "templateId": TEMPLATE,
        "templateVersion": "1",
        "language": "pl",  # one the template offers
        "rightsExplained": True,
    }
    await visit.step(Role.NURSE, "signConsent", journey, **consent)
    disclosure = {
        "clientId": client,
        "parts": ["ALLERGIES", "TREATMENTS"],
        "channel": "REGISTERED_POST",
    }
    await visit.call(Role.SUPERVISOR, "recordFileDisclosure", "FileDisclosurePayload", **disclosure)
    # Signed again for the client, in no journey (as once her treatment is over), then withdrawn:
    # both consents end, and nothing more is shared.
    again = {k: v for k, v in consent.items() if k != "kind"}
    signing = {"clientId": client, "signature": {"format": "SVG_PATH"}, **again}
    await visit.call(Role.NURSE, "signSharingConsent", "SharingConsentPayload", **signing)
    withdrawal = {"clientId": client}
    await visit.call(
        Role.NURSE, "withdrawSharingConsent", "SharingConsentWithdrawalPayload", **withdrawal
    )
