"""Documents and builders for the procedure type tests."""

from __future__ import annotations

import base64
import io
import re
from typing import Any

from pypdf import PdfReader

from domain.procedures.checklist import SHOWN_BY_PHOTO
from domain.roles import Role
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver
from tests.api.photo_support import new_key, set_consent, upload
from tests.images import png

ERRORS = "... on UserError { code message } ... on ValidationFailed { problems { field message } }"
SET_TYPE = (
    "mutation Set($input: SetProcedureTypeInput!) { setProcedureType(input: $input) { "
    "__typename ... on ProcedureTypePayload { procedureType { id typeKey version "
    "checklist { code } } } " + ERRORS + " } }"
)
TYPES = (
    "query Types($typeKey: String, $latestOnly: Boolean! = false) { procedureTypes(typeKey: "
    "$typeKey, latestOnly: $latestOnly) { typeKey version checklist { code } } }"
)
COMPLETE_ITEM = (
    "mutation Item($input: CompleteChecklistItemInput!) { completeChecklistItem(input: $input) "
    "{ __typename ... on ChecklistItemPayload { journey { checklist { code done result } } } "
    + ERRORS
    + " } }"
)
START = (
    "mutation Start($input: StartTreatmentInput!) { startTreatment(input: $input) { __typename "
    "... on ChecklistIncomplete { openItems } ... on JourneyPayload { journey { stage } } "
    + ERRORS
    + " } }"
)
JOURNEY = (
    "query J($id: ID!) { journey(id: $id) { ... on Journey { stage client { id } "
    "procedureType { id version } checklist { code done result completedBy } "
    "followUps { label } } } }"
)
LOTS = (
    "query Lots($lot: String!) { lotRecipients(lot: $lot) { client { id } journeyId "
    "productName lotNumber dose bodyArea } }"
)
LEAFLET = (
    "query Leaflet($id: ID!, $language: String!) { aftercareLeaflet(journeyId: $id, "
    "language: $language) { __typename ... on AftercareLeaflet { language html pdfBase64 "
    "notes { normal passes callNow selfCare activities } procedureType { version } } "
    + ERRORS
    + " } }"
)
NAMES = {
    "pl": "Wolumetria policzków",
    "ru": "Объёмная коррекция скул",
    "zh": "面颊填充",
    "en": "Cheek volume",
}
NOTES = {
    "pl": (
        "Lekki obrzęk i zaczerwienienie",
        "mija po 3-5 dniach",
        "silny ból, gorączka",
        "chłodne okłady",
        "bez sauny przez tydzień",
    ),
    "ru": (
        "Лёгкий отёк и покраснение",
        "проходит за 3-5 дней",
        "сильная боль, температура",
        "холодные компрессы",
        "без сауны неделю",
    ),
    "zh": ("轻微肿胀和发红", "三到五天消退", "剧烈疼痛或发烧", "冷敷", "一周内不蒸桑拿"),
    "en": (
        "Mild swelling and redness",
        "passes in 3 to 5 days",
        "severe pain, fever",
        "cold compresses",
        "no sauna for a week",
    ),
}
PARTS = ("normal", "passes", "callNow", "selfCare", "activities")
V1_CHECKLIST = (
    "identity_verified",
    "plan_verified",
    "contraindications_rechecked",
    "preop_education",
    "lab_blood",
)
# A surgical type's checklist as the rules ask for it (`domain.procedures.template`), under a
# local anaesthesia.
SURGICAL_CHECKLIST: list[dict[str, Any]] = [
    {"code": "identity_verified", "label": "identity"},
    {"code": "plan_verified", "label": "plan"},
    {"code": "contraindications_rechecked", "label": "contraindications"},
    {"code": "preop_education", "label": "education"},
    {"code": "lab_blood", "label": "blood", "needsResult": True},
    {"code": "lab_ecg", "label": "ECG", "needsResult": True},
    {"code": "lab_ultrasound", "label": "ultrasound", "needsResult": True},
    {"code": "lab_chest_film", "label": "chest film", "needsResult": True},
    {"code": "general_examination", "label": "general examination", "needsResult": True},
    {"code": "vital_signs", "label": "vital signs", "needsResult": True},
    {"code": "anesthesia_assessment", "label": "anesthesia", "needsResult": True},
    {"code": "operative_site_checked", "label": "operative site"},
    {"code": "symmetry_recorded", "label": "symmetry", "needsResult": True},
    {"code": "preop_photos", "label": "photos"},
    {"code": "marking", "label": "marking"},
    {"code": "menstruation_checked", "label": "menstruation"},
    {"code": "bladder_bowels_emptied", "label": "bladder and bowels"},
]
# The same under a general anaesthesia: the fasting asked instead of the emptied bladder.
GENERAL_CHECKLIST: list[dict[str, Any]] = [
    *SURGICAL_CHECKLIST[:-1],
    {"code": "fasting_confirmed", "label": "nothing eaten or drunk"},
]


# Seed 003's photos of an operation: "术前一张,术后拆线一张,三个月后一张,一年后再照一张".
SURGICAL_PHOTOS = [
    {"code": "before", "offsetDays": 0},
    {"code": "suture_removal", "offsetDays": 7},
    {"code": "month_3", "offsetDays": 91},
    {"code": "year_1", "offsetDays": 365},
]


def type_input(type_key: str, edition: str = "", **extra: Any) -> dict[str, Any]:
    """An injectable with a blood test (result needed); `edition` changes every client text."""

    def edited(text: str) -> str:
        return f"{text} {edition}".strip()

    checklist = [{"code": code, "label": code.replace("_", " ")} for code in V1_CHECKLIST]
    checklist[-1]["needsResult"] = True
    return {
        "typeKey": type_key,
        "category": "INJECTABLES",
        "names": [{"language": k, "text": edited(v)} for k, v in NAMES.items()],
        "checklist": checklist,
        "followUps": [
            {"offsetHours": 24, "channel": "PHONE", "purpose": "first day", "questions": ["Pain?"]},
            {"offsetHours": 14 * 24, "channel": "PHONE", "purpose": "result"},
            {"offsetHours": 91 * 24, "channel": "VISIT", "purpose": "check"},
        ],
        "photoSchedule": [{"code": "before", "offsetDays": 0}],
        "discomfort": [
            {"language": k, **{p: edited(t) for p, t in zip(PARTS, v, strict=True)}}
            for k, v in NOTES.items()
        ],
        "warranty": {
            "periodDays": 180,
            "terms": [{"language": k, "text": edited(f"{v}: 180")} for k, v in NAMES.items()],
        },
        # A surgery's under a local anaesthesia, unless `extra` names another (or None)
        **({"anaesthesia": "LOCAL"} if extra.get("category") == "SURGERY" else {}),
        **extra,
    }


async def set_type(driver: JourneyDriver, input: dict[str, Any]) -> dict[str, Any]:
    data = await driver.api.run(SET_TYPE, driver.token(Role.SUPERVISOR), input=input)
    result = data["setProcedureType"]
    assert result["__typename"] == "ProcedureTypePayload", result
    return result["procedureType"]  # type: ignore[no-any-return]


async def approved_for_a_type(clinic: JourneyDriver, type_key: str) -> tuple[str, dict[str, Any]]:
    """A new procedure type (version 1), and a journey whose approved plan names it, in
    CONSENT: the journey's id and the version."""
    version = await set_type(clinic, type_input(type_key))
    journey = await clinic.drive_to("EXPERT_REVIEW")
    plan = {**PLAN, "procedureType": type_key}
    approval = {
        "journeyId": journey["id"],
        "decision": "APPROVE",
        "points": "as discussed",
        "finalPlan": plan,
    }
    await clinic.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    return journey["id"], version


async def run(driver: JourneyDriver, document: str, role: Role, **variables: Any) -> Any:
    data = await driver.api.run(document, driver.token(role), **variables)
    (result,) = data.values()
    return result


def squeeze(text: str) -> str:
    """Text without whitespace: a PDF breaks lines where the page does, not where we did."""
    return re.sub(r"\s+", "", text)


def pdf_text(pdf_base64: str) -> str:
    reader = PdfReader(io.BytesIO(base64.b64decode(pdf_base64)))
    return "".join(page.extract_text() for page in reader.pages)


async def upload_before_photo(clinic: JourneyDriver, jid: str) -> None:
    """The journey's BEFORE photo on file (its client gives CLINICAL_RECORD photos first)."""
    client = (await run(clinic, JOURNEY, Role.SUPERVISOR, id=jid))["client"]["id"]
    await set_consent(clinic, client, "CLINICAL_RECORD", True)
    uploaded = await upload(
        clinic, Role.NURSE, png(), clientId=client, journeyId=jid, idempotencyKey=new_key()
    )
    assert uploaded["__typename"] == "PhotoPayload", uploaded


async def complete_items(
    clinic: JourneyDriver, jid: str, items: list[dict[str, Any]], role: Role = Role.EXPERT
) -> None:
    """Completes each item (a result where it needs one), the photos an item stands for
    uploaded first."""
    if any(item["code"] in SHOWN_BY_PHOTO for item in items):
        await upload_before_photo(clinic, jid)
    for item in items:
        result = {"result": "normal"} if item.get("needsResult") else {}
        input = {"journeyId": jid, "itemCode": item["code"], **result}
        done = await run(clinic, COMPLETE_ITEM, role, input=input)
        assert done["__typename"] == "ChecklistItemPayload", done
