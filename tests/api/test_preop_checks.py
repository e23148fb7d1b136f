"""The checks before a treatment that the handbooks ask for beyond the labs (each test failed on
the code before its rule):
- a surgery's general examination (the psychological state, heart, liver and kidneys), vital
  signs with their values, and bladder and bowels emptied before the operation (seed 003);
- the photos before an operation are a photo on file, not a tick (seed 003);
- the client's education before any treatment, skin care too (seed 002 4.1);
- the treating doctor's word on how the treatment went, kept with the handover (seed 003 9.1,
  seed 002 4.3).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver, new_key
from tests.api.procedure_support import (
    COMPLETE_ITEM,
    GENERAL_CHECKLIST,
    JOURNEY,
    SET_TYPE,
    START,
    SURGICAL_CHECKLIST,
    SURGICAL_PHOTOS,
    complete_items,
    run,
    set_type,
    type_input,
    upload_before_photo,
)

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
NEW_SURGICAL = ("preop_education", "general_examination", "vital_signs", "bladder_bowels_emptied")
KINDS = "query { procedureTypes(latestOnly: true) { typeKey anaesthesia } }"
HISTORY = (
    "query H($id: ID!) { journey(id: $id) { ... on Journey { stage history { action details } } } }"
)


async def _approved(clinic: JourneyDriver, type_key: str, **plan: Any) -> str:
    """A journey whose approved plan names `type_key`, consented and paid for: in TREATMENT's
    stage before it, waiting for its checklist."""
    jid = (await clinic.drive_to("EXPERT_REVIEW"))["id"]
    final = {**PLAN, "procedureType": type_key, **plan}
    approval = {"journeyId": jid, "decision": "APPROVE", "points": "as agreed", "finalPlan": final}
    await clinic.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    await clinic.sign_consent(jid, Role.EXPERT)  # a surgery's consent is the doctor's
    if plan.get("requiresAnesthesia"):
        anesthesia = {
            "kind": "ANESTHESIA",
            "signerName": "Anna Nowak",
            "templateId": "anesthesia-consent",
            "templateVersion": "1",
            "rightsExplained": True,
        }
        await clinic.ok(documents.SIGN_CONSENT, Role.EXPERT, journeyId=jid, **anesthesia)
    await clinic.pay(jid)
    return jid


async def _complete(clinic: JourneyDriver, jid: str, items: list[dict[str, Any]]) -> None:
    await complete_items(clinic, jid, items)


async def test_a_surgery_waits_for_the_general_examination_vital_signs_and_an_empty_bladder(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    type_key = f"bleph-{uuid.uuid4().hex[:6]}"
    photos = SURGICAL_PHOTOS
    # Given a surgical type as the rules stood before seed 003's examination and preparation
    older = [item for item in SURGICAL_CHECKLIST if item["code"] not in NEW_SURGICAL]
    surgery = type_input(type_key, category="SURGERY", checklist=older, photoSchedule=photos)
    # When it is published, Then it is refused naming each check it lacks
    refused = await run(clinic, SET_TYPE, Role.SUPERVISOR, input=surgery)
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {"field": "checklist", "message": f"'{code}' is required for this category"}
        for code in NEW_SURGICAL
    ]
    # And the examination and the vital signs are refused without their findings
    unrecorded = [{**item, "needsResult": False} for item in SURGICAL_CHECKLIST]
    no_findings = {**surgery, "checklist": unrecorded}
    refused = await run(clinic, SET_TYPE, Role.SUPERVISOR, input=no_findings)
    fields = {p["field"] for p in refused["problems"]}
    for code in ("general_examination", "vital_signs"):
        index = next(i for i, item in enumerate(unrecorded) if item["code"] == code)
        assert f"checklist[{index}].needsResult" in fields

    # Given the type with them, and a journey on it with every older check done
    await set_type(clinic, {**surgery, "checklist": SURGICAL_CHECKLIST})
    jid = await _approved(clinic, type_key, requiresAnesthesia=True)
    await _complete(clinic, jid, older)
    # When treatment is asked to start, Then it waits for the new ones, named
    refused = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert refused["__typename"] == "ChecklistIncomplete", refused
    assert refused["openItems"] == list(NEW_SURGICAL)
    # And the vital signs are not taken without their values
    bare = {"journeyId": jid, "itemCode": "vital_signs"}
    no_values = await run(clinic, COMPLETE_ITEM, Role.NURSE, input=bare)
    assert no_values["problems"] == [{"field": "result", "message": "this item needs its result"}]
    await _complete(clinic, jid, [i for i in SURGICAL_CHECKLIST if i["code"] in NEW_SURGICAL])
    started = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert started["journey"]["stage"] == "TREATMENT", started


async def test_a_general_anaesthesia_waits_for_the_fasting_a_local_one_is_not_asked_it(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    general_key, local_key = (f"lipo-{uuid.uuid4().hex[:6]}" for _ in range(2))
    surgery = {"category": "SURGERY", "photoSchedule": SURGICAL_PHOTOS}
    # Given a surgery that names no anaesthesia, When it is published, Then it is refused
    unnamed = type_input(general_key, **surgery, anaesthesia=None, checklist=GENERAL_CHECKLIST)
    refused = await run(clinic, SET_TYPE, Role.SUPERVISOR, input=unnamed)
    assert refused["problems"] == [
        {"field": "anaesthesia", "message": "LOCAL or GENERAL for this category"}
    ]
    # And one under a general anaesthesia is refused without the fasting (seed 003: "全麻(是否
    # 有喝水饮食过等)"), the emptied bladder of a local one not asked instead
    general = {**unnamed, "anaesthesia": "GENERAL"}
    unfasted = {**general, "checklist": SURGICAL_CHECKLIST}
    refused = await run(clinic, SET_TYPE, Role.SUPERVISOR, input=unfasted)
    assert refused["problems"] == [
        {"field": "checklist", "message": "'fasting_confirmed' is required for this category"}
    ]
    # Given it with the fasting, and a journey on it with every other check done
    await set_type(clinic, general)
    jid = await _approved(clinic, general_key, requiresAnesthesia=True)
    fasting = [item for item in GENERAL_CHECKLIST if item["code"] == "fasting_confirmed"]
    await _complete(clinic, jid, [i for i in GENERAL_CHECKLIST if i not in fasting])
    # When treatment is asked to start, Then it waits for the fasting
    refused = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert (refused["__typename"], refused["openItems"]) == (
        "ChecklistIncomplete",
        ["fasting_confirmed"],
    )
    await _complete(clinic, jid, fasting)
    started = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert started["journey"]["stage"] == "TREATMENT", started

    # Given a surgery under a local anaesthesia, its checklist without the fasting
    await set_type(clinic, type_input(local_key, **surgery, checklist=SURGICAL_CHECKLIST))
    jid = await _approved(clinic, local_key, requiresAnesthesia=True)
    seen = await run(clinic, JOURNEY, Role.NURSE, id=jid)
    assert "fasting_confirmed" not in {item["code"] for item in seen["checklist"]}
    # When its checks are done, Then treatment starts: the fasting is not asked
    await _complete(clinic, jid, SURGICAL_CHECKLIST)
    started = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert started["journey"]["stage"] == "TREATMENT", started
    # And each type says its anaesthesia
    listed = await run(clinic, KINDS, Role.NURSE)
    kinds = {t["typeKey"]: t["anaesthesia"] for t in listed}
    assert (kinds[general_key], kinds[local_key]) == ("GENERAL", "LOCAL")


async def test_a_skin_care_treatment_waits_for_the_client_s_education(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    type_key = f"peel-{uuid.uuid4().hex[:6]}"
    day_checks = [
        {"code": code, "label": code.replace("_", " ")}
        for code in ("identity_verified", "plan_verified", "contraindications_rechecked")
    ]
    # Given a skin-care type whose checklist has the checks of the day only
    peel = type_input(type_key, category="SKIN_CARE", checklist=day_checks)
    # When it is published, Then it is refused: the education is every treatment's
    refused = await run(clinic, SET_TYPE, Role.SUPERVISOR, input=peel)
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {"field": "checklist", "message": "'preop_education' is required for this category"}
    ]
    # Given it with the education, and a journey on it with the day's checks done
    education = {"code": "preop_education", "label": "what to expect, how to help, aftercare"}
    await set_type(clinic, {**peel, "checklist": [*day_checks, education]})
    jid = await _approved(clinic, type_key)
    await _complete(clinic, jid, day_checks)
    # When treatment is asked to start, Then it waits for the education
    refused = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert (refused["__typename"], refused["openItems"]) == (
        "ChecklistIncomplete",
        ["preop_education"],
    )
    await _complete(clinic, jid, [education])
    started = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert started["journey"]["stage"] == "TREATMENT", started


async def test_the_handover_keeps_how_the_treatment_went(fresh_clinic: FreshClinic) -> None:
    # Given a treated journey at its handover
    clinic = await fresh_clinic()
    jid = (await clinic.drive_to("HANDOVER"))["id"]
    handover = {"journeyId": jid, "aftercare": "no make-up until tomorrow", "discomfort": _NOTES}
    # When the doctor hands over without saying how it went, or with deviations left unsaid
    unsaid = await clinic.act(documents.HAND_OVER, Role.EXPERT, **handover)
    unexplained = await clinic.act(
        documents.HAND_OVER, Role.EXPERT, **handover, course="WITH_DEVIATIONS"
    )
    # Then both are refused on their fields
    assert unsaid["__typename"] == "ValidationFailed", unsaid
    assert [p["field"] for p in unsaid["problems"]] == ["course"]
    assert [p["field"] for p in unexplained["problems"]] == ["courseNote"]
    # When the doctor says it went otherwise than planned, and how
    note = "left lid: a small bleeder cauterised, 10 min longer"
    handed = await clinic.ok(
        documents.HAND_OVER, Role.EXPERT, **handover, course="WITH_DEVIATIONS", courseNote=note
    )
    assert handed["stage"] == "FOLLOW_UP", handed
    # Then the consultant reads it in the journey's history, with the handover
    seen = await run(clinic, HISTORY, Role.CONSULTANT, id=jid)
    (record,) = [e["details"] for e in seen["history"] if e["action"] == "hand_over"]
    assert (record["course"], record["course_note"]) == ("WITH_DEVIATIONS", note)
    assert record["aftercare"] == "no make-up until tomorrow"


_NOTES = {
    "normal": "mild swelling",
    "passes": "within three days",
    "callNow": "fever, severe pain",
    "selfCare": "cold compress",
    "activities": "no sauna for a week",
}


async def test_the_photos_before_an_operation_are_done_only_by_a_photo_on_file(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a surgery's journey, consented and paid, whose client has no photo on file
    clinic = await fresh_clinic()
    type_key = f"bleph-{uuid.uuid4().hex[:6]}"
    photos = SURGICAL_PHOTOS
    surgery = type_input(
        type_key, category="SURGERY", checklist=SURGICAL_CHECKLIST, photoSchedule=photos
    )
    await set_type(clinic, surgery)
    jid = await _approved(clinic, type_key, requiresAnesthesia=True)
    # When the nurse ticks the photos before the operation
    ticked = {"journeyId": jid, "itemCode": "preop_photos", "idempotencyKey": new_key()}
    refused = await run(clinic, COMPLETE_ITEM, Role.NURSE, input=ticked)
    # Then it is refused, naming the photo to upload, and the item stays open
    assert refused["__typename"] == "ValidationFailed", refused
    assert refused["problems"] == [
        {"field": "itemCode", "message": "upload the journey's BEFORE photo first (uploadPhoto)"}
    ]
    seen = await run(clinic, JOURNEY, Role.NURSE, id=jid)
    (item,) = [i for i in seen["checklist"] if i["code"] == "preop_photos"]
    assert item["done"] is False
    # And once the BEFORE photo is uploaded, the same item is completed
    await upload_before_photo(clinic, jid)
    done = await run(
        clinic, COMPLETE_ITEM, Role.NURSE, input={**ticked, "idempotencyKey": new_key()}
    )
    assert done["__typename"] == "ChecklistItemPayload", done
