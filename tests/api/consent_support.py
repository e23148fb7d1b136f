"""Documents and helpers of the consent tests: publish templates, sign, read documents."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver

SECTIONS = ("title", "purpose", "expectedEffect", "risks", "complications", "alternatives")
LANGUAGES = {
    "pl": "Zgoda na zabieg wypełniacza",
    "ru": "Информированное добровольное согласие на введение филлера",
    "zh": "填充剂注射知情同意书",
    "en": "Consent to a filler treatment",
}
TEXT_FIELDS = "language title purpose expectedEffect risks complications alternatives aftercare"
TEMPLATE_FIELDS = f"id templateKey procedureType kind version contentHash texts {{ {TEXT_FIELDS} }}"
SIGNATURE_FIELDS = (
    "id journeyId kind templateVersionId contentHash language signerName capacity guardianName"
    " guardianRelation witnessId witnessRole signatureFormat signedAt withdrawnAt"
)

PUBLISH = f"""
mutation Publish($input: PublishConsentTemplateInput!) {{
  publishConsentTemplate(input: $input) {{
    __typename
    ... on ConsentTemplatePayload {{ template {{ {TEMPLATE_FIELDS} }} }}
    ... on UserError {{ code message }}
    ... on ValidationFailed {{ problems {{ field message }} }}
  }}
}}
"""
TEMPLATES = f"""
query Templates($key: String) {{ consentTemplates(templateKey: $key) {{ {TEMPLATE_FIELDS} }} }}
"""
DOCUMENT = f"""
query Document($id: ID!) {{
  consentDocument(id: $id) {{
    __typename
    ... on ConsentDocument {{
      signature {{ {SIGNATURE_FIELDS} }}
      template {{ id version contentHash }}
      text {{ {TEXT_FIELDS} }}
      signatureData computedHash hashMatches
    }}
    ... on UserError {{ code message }}
  }}
}}
"""
CONSENTS = f"""
query Consents($id: ID!) {{
  client(id: $id) {{ ... on Client {{ consents {{ {SIGNATURE_FIELDS} }} }} }}
}}
"""
DEFER_CONSENT = documents.action("deferConsent", "DeferConsentInput")
WITHDRAW_CONSENT = documents.action("withdrawConsent", "WithdrawConsentInput")
SVG = "M10 20 L30 40 C35 45 50 45 55 40 Z"


def texts(edition: str = "") -> list[dict[str, str]]:
    """A text in Polish, Russian, Chinese and English; `edition` changes every section."""
    return [
        {
            "language": lang,
            **{s: f"{title} {s} {edition}".strip() for s in SECTIONS},
            "aftercare": f"{title}: aftercare {edition}".strip(),
        }
        for lang, title in LANGUAGES.items()
    ]


def canonical_hash(template: dict[str, Any]) -> str:
    """The content hash recomputed here, from the API's answer alone."""
    snake = {"expectedEffect": "expected_effect"}
    content = {
        "template_key": template["templateKey"],
        "procedure_type": template["procedureType"],
        "kind": template["kind"],
        "version": template["version"],
        "texts": {
            t["language"]: {snake.get(k, k): v for k, v in t.items() if k != "language"}
            for t in template["texts"]
        },
    }
    raw = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_key() -> str:
    return f"consent-{uuid.uuid4().hex}"


async def run(driver: JourneyDriver, document: str, role: Role, **variables: Any) -> Any:
    data = await driver.api.run(document, driver.token(role), **variables)
    (result,) = data.values()
    return result


async def publish(
    driver: JourneyDriver, key: str = "filler-procedure", edition: str = "", **extra: Any
) -> dict[str, Any]:
    input = {
        "templateKey": key,
        "procedureType": "filler",
        "kind": "PROCEDURE",
        "texts": texts(edition),
        **extra,
    }
    result = await run(driver, PUBLISH, Role.SUPERVISOR, input=input)
    assert result["__typename"] == "ConsentTemplatePayload", result
    return result["template"]  # type: ignore[no-any-return]


async def at_consent(clinic: JourneyDriver, client_id: str | None = None) -> str:
    """A new journey (of `client_id`, or of a new client) driven to CONSENT: its id."""
    journey = await clinic.drive_to("CONSENT", await clinic.start(client_id))
    return journey["id"]  # type: ignore[no-any-return]


async def sign_data_processing_consent(clinic: JourneyDriver, jid: str) -> None:
    """The client's data-processing consent on the demo's template, taken by a nurse at CONSENT."""
    consent = {
        "journeyId": jid,
        "kind": "DATA_PROCESSING",
        "signerName": "Anna Nowak",
        "templateId": "data-consent",
        "templateVersion": "1",
        "rightsExplained": True,
    }
    await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **consent)


def signing(jid: str, version: int, **extra: Any) -> dict[str, Any]:
    """A procedure consent on the given version of the filler template, read in Russian."""
    return {
        "journeyId": jid,
        "kind": "PROCEDURE",
        "signerName": "Анна Смирнова",
        "templateId": "filler-procedure",
        "templateVersion": str(version),
        "language": "ru",
        "rightsExplained": True,
        "signature": {"format": "SVG_PATH", "data": SVG},
        **extra,
    }


async def consents(driver: JourneyDriver, client_id: str) -> list[dict[str, Any]]:
    data = await driver.api.run(CONSENTS, driver.token(Role.EXPERT), id=client_id)
    return data["client"]["consents"]  # type: ignore[no-any-return]


async def register_minor(driver: JourneyDriver) -> str:
    data = await driver.api.run(
        documents.REGISTER_CLIENT,
        driver.token(Role.FRONT_DESK),
        input={
            "fullName": "Ola Nowak",
            "birthDate": "2012-03-01",
            "phone": "+48 600 100 201",
            "dataConsent": True,
            "guardianName": "Anna Nowak",  # a minor consents by her guardian
            "guardianRelation": "mother",
            "registerAnyway": True,  # shared test data, another person
        },
    )
    result = data["registerClient"]
    assert result["__typename"] == "ClientPayload", result
    return result["client"]["id"]  # type: ignore[no-any-return]
