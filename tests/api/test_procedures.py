"""Procedure types through the real API: a journey keeps the version its plan named, treatment
waits for the checklist, the treatment record finds its clients again by lot, and the leaflet
reads back from its PDF in Polish, Russian, Chinese and English."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from domain.aftercare.warranty import last_day
from domain.roles import Role
from domain.store.models import IdempotencyKey
from server.procedure_seeds import seed_procedure_types
from tests.api import documents
from tests.api.aftercare_documents import TASKS_CHANGED
from tests.api.audit_support import (
    clinic_of,
    entries_of_request,
    new_request_id,
    raw_client,
    run_traced,
)
from tests.api.flow import CHECKS, JourneyDriver, assert_unchanged, end_journey, new_key
from tests.api.harness import TEST_CLINIC_ZONE, Api, clinic_month
from tests.api.live import WAIT, Pushes, pushed_task_done, reading
from tests.api.photo_support import png, set_consent, upload
from tests.api.procedure_support import (
    COMPLETE_ITEM,
    JOURNEY,
    LEAFLET,
    LOTS,
    NAMES,
    NOTES,
    PARTS,
    SET_TYPE,
    START,
    TYPES,
    V1_CHECKLIST,
    approved_for_a_type,
    pdf_text,
    run,
    set_type,
    squeeze,
    type_input,
)
from tests.api.typed_aftercare_support import (
    RESULTS,
    SURVEY,
    WARRANTY,
    first_call_falls_due,
    tasks_of_journey,
)

CLOSE_FOLLOW_UPS = documents.action("closeFollowUps", "CloseJourneyInput")
FreshClinic = Callable[[], Awaitable[JourneyDriver]]
ADJUSTED = "Obrzęk do dwóch dni, tak jak po poprzednim zabiegu"


async def _item(clinic: JourneyDriver, jid: str, code: str, **extra: object) -> dict:
    item = {"journeyId": jid, "itemCode": code, **extra}
    return await run(clinic, COMPLETE_ITEM, Role.NURSE, input=item)  # type: ignore[no-any-return]


async def _treated_under_version_1(clinic: JourneyDriver, type_key: str) -> tuple[str, dict]:
    """A journey whose plan names the type (version 1 then), with version 2 published before
    its treatment; answers the journey's id and version 1."""
    jid, v1 = await approved_for_a_type(clinic, type_key)
    # The supervisor publishes version 2 mid-journey: another checklist, plan and notes.
    v2_input = type_input(type_key, edition="(v2)")
    v2_input["checklist"].append({"code": "patch_test", "label": "patch test"})
    v2_input["followUps"].append({"offsetHours": 365 * 24, "channel": "PHONE", "purpose": "year"})
    v2 = await set_type(clinic, v2_input)
    assert (v1["version"], v2["version"]) == (1, 2)
    await clinic.drive_to("TREATMENT", await clinic.journey(jid))
    return jid, v1


async def test_a_journey_keeps_its_version_and_treatment_waits_for_its_checklist(
    fresh_clinic: FreshClinic, api: Api, held: contextlib.AsyncExitStack
) -> None:
    # Given a journey that took version 1 of a procedure type, and version 2 published since
    clinic = await fresh_clinic()
    type_key = f"cheeks-{uuid.uuid4().hex[:6]}"
    jid, v1 = await _treated_under_version_1(clinic, type_key)
    seen = await run(clinic, JOURNEY, Role.NURSE, id=jid)
    assert seen["procedureType"] == {"id": v1["id"], "version": 1}
    assert [i["code"] for i in seen["checklist"]] == list(V1_CHECKLIST)
    assert not any(item["done"] for item in seen["checklist"])

    # When treatment is asked to start with every item open, Then it is refused naming them
    before = await clinic.journey(jid)
    refused = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert (refused["__typename"], refused["code"]) == (
        "ChecklistIncomplete",
        "CHECKLIST_INCOMPLETE",
    )
    assert refused["openItems"] == list(V1_CHECKLIST)
    await assert_unchanged(clinic, before)
    # And the blood test needs its result; version 2's extra item is not this journey's
    no_result = await _item(clinic, jid, "lab_blood")
    assert no_result["problems"] == [{"field": "result", "message": "this item needs its result"}]
    not_ours = await _item(clinic, jid, "patch_test")
    assert not_ours["problems"][0]["field"] == "itemCode"

    # When all but one are done (the blood test with a retried key: one completion)
    key = new_key()
    first = await _item(clinic, jid, "lab_blood", result="Hb 13.5 g/dl", idempotencyKey=key)
    again = await _item(clinic, jid, "lab_blood", result="Hb 13.5 g/dl", idempotencyKey=key)
    assert again == first
    other = await _item(clinic, jid, "lab_blood", result="Hb 9", idempotencyKey=key)
    assert other["__typename"] == "Conflict"
    for code in ("identity_verified", "contraindications_rechecked", "preop_education"):
        assert (await _item(clinic, jid, code))["__typename"] == "ChecklistItemPayload"
    # Then the refusal names the one left, even with the six day checks all confirmed
    refused = await run(clinic, START, Role.NURSE, input={"journeyId": jid, "checks": CHECKS})
    assert (refused["__typename"], refused["openItems"]) == (
        "ChecklistIncomplete",
        ["plan_verified"],
    )
    assert refused["message"] == "open checklist items: plan_verified"

    # When it is done too (its answer lost before the key was settled, as a crash between the
    # two leaves it), Then treatment starts without the booleans
    done_key = new_key()
    done = await _item(clinic, jid, "plan_verified", idempotencyKey=done_key)
    nurse = clinic.staff[Role.NURSE].account_id
    lost = IdempotencyKey.filter(account_id=nurse, key=done_key)
    assert await lost.update(result_id="") == 1
    started = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert started == {"__typename": "JourneyPayload", "journey": {"stage": "TREATMENT"}}
    # And the completion's retry is answered as it was, though the treatment began since
    assert await _item(clinic, jid, "plan_verified", idempotencyKey=done_key) == done
    seen = await run(clinic, JOURNEY, Role.EXPERT, id=jid)
    blood = next(i for i in seen["checklist"] if i["code"] == "lab_blood")
    assert (blood["done"], blood["result"]) == (True, "Hb 13.5 g/dl")
    # And a completion after the start is refused
    late = await _item(clinic, jid, "plan_verified")
    assert late["__typename"] == "TransitionNotAllowed"

    # When the doctor records the treatment, with the lot, and hands over adjusting one note
    lot = f"LOT-{uuid.uuid4().hex[:8]}"
    expert, nurse = clinic.staff[Role.EXPERT].global_id, clinic.staff[Role.NURSE].global_id
    began = datetime.now(UTC) - timedelta(minutes=40)
    await clinic.ok(
        documents.COMPLETE_TREATMENT,
        Role.EXPERT,
        journeyId=jid,
        performerId=expert,
        anesthetistId=expert,
        nurseIds=[nurse],
        startedAt=began.isoformat(),
        endedAt=(began + timedelta(minutes=30)).isoformat(),
        anesthesia="topical lidocaine cream",
        admission="day ward, room 2",
        operatingRoomHandover="to the ward nurse, stable",
        procedure="cheek filler",
        products=[{"name": "Filler X", "lotNumber": lot, "dose": "1 ml", "bodyArea": "cheeks"}],
        notes="uneventful",
    )
    _, passes, call_now, self_care, activities = NOTES["pl"]
    adjusted = {"normal": ADJUSTED, "passes": passes, "callNow": call_now, "selfCare": self_care}
    handed = await clinic.ok(
        documents.HAND_OVER,
        Role.EXPERT,
        journeyId=jid,
        aftercare="as the leaflet says",
        course="AS_PLANNED",
        discomfort={"language": "pl", **adjusted, "activities": activities},
    )
    # Then the follow-ups are version 1's plan, not version 2's
    assert [f["label"] for f in handed["followUps"]] == ["24h", "2w", "3m"]

    # (the nurses watch their list from here on: the photo reminder's settling is pushed)
    nurse_watch = api.subscription(TASKS_CHANGED, clinic.token(Role.NURSE))
    watched = await held.enter_async_context(reading(nurse_watch, "tasksChanged"))
    # And a recall finds the client by the lot, audited as a read of the client's file
    request = new_request_id()
    data = await run_traced(api, LOTS, clinic.token(Role.EXPERT), request, lot=lot)
    client_id = seen["client"]["id"]
    assert data["lotRecipients"] == [
        {
            "client": {"id": client_id},
            "journeyId": jid,
            "productName": "Filler X",
            "lotNumber": lot,
            "dose": "1 ml",
            "bodyArea": "cheeks",
        }
    ]
    entries = await entries_of_request(request)
    assert (raw_client(client_id), "lot.recipients.read") in [(e[0], e[1]) for e in entries]
    other_clinic = await fresh_clinic()
    assert await run(other_clinic, LOTS, Role.EXPERT, lot=lot) == []

    # And the leaflet in each language holds version 1's notes, read back from its PDF
    for language, notes in NOTES.items():
        leaflet = await run(clinic, LEAFLET, Role.NURSE, id=jid, language=language)
        assert leaflet["__typename"] == "AftercareLeaflet", leaflet
        assert leaflet["procedureType"] == {"version": 1}
        expected = dict(zip(PARTS, notes, strict=True))
        if language == "pl":
            expected["normal"] = ADJUSTED
        assert leaflet["notes"] == expected
        text = squeeze(pdf_text(leaflet["pdfBase64"]))
        for part in expected.values():
            assert squeeze(part) in text, (language, part)
            assert part in leaflet["html"]
            assert "(v2)" not in text
    bad = await run(clinic, LEAFLET, Role.NURSE, id=jid, language="de")
    assert bad["problems"][0]["field"] == "language"
    await _aftercare_follows_the_type(clinic, jid, type_key, client_id, watched)
    await clinic.ok(CLOSE_FOLLOW_UPS, Role.SUPERVISOR, journeyId=jid, reason="test over")


async def _aftercare_follows_the_type(
    clinic: JourneyDriver, jid: str, type_key: str, client_id: str, watched: Pushes
) -> None:
    # The treatment issued version 1's warranty card: its 180 days (to the end of the last one,
    # in the clinic's calendar) and its terms
    card = (await run(clinic, WARRANTY, Role.NURSE, id=jid))["warrantyCard"]
    ends, issued = (datetime.fromisoformat(card[k]) for k in ("endsAt", "issuedAt"))
    zone = TEST_CLINIC_ZONE
    days = last_day(ends, zone) - issued.astimezone(zone).date()
    assert (days, card["terms"]) == (timedelta(days=180), "Cheek volume: 180")
    # The photo schedule's photo before is on the nurses' list, due at the treatment
    (photo,) = await tasks_of_journey(clinic, Role.NURSE, jid)
    assert (photo["kind"], photo["status"], photo["label"], photo["photoStage"]) == (
        "PHOTO",
        "OPEN",
        "BEFORE",
        "BEFORE",
    )
    assert (photo["purpose"], photo["channel"], photo["questions"]) == (None, None, [])
    # When the nurse uploads the photo before the client consents to photos for their record,
    # it is refused and the reminder stays on her list
    tags = {"clientId": client_id, "journeyId": jid, "idempotencyKey": new_key()}
    refused = await upload(clinic, Role.NURSE, png(b"before"), stage="BEFORE", **tags)
    assert refused["__typename"] == "ValidationFailed", refused
    assert await tasks_of_journey(clinic, Role.NURSE, jid) == [photo]
    # When the client consents and the nurse uploads it, the reminder is settled: off her list
    await set_consent(clinic, client_id, "CLINICAL_RECORD", True)
    tags["idempotencyKey"] = new_key()
    uploaded = await upload(clinic, Role.NURSE, png(b"before"), stage="BEFORE", **tags)
    assert uploaded["__typename"] == "PhotoPayload", uploaded
    assert await tasks_of_journey(clinic, Role.NURSE, jid) == []
    settled = pushed_task_done(watched, journeyId=jid, kind="PHOTO", label="BEFORE")
    assert (await asyncio.wait_for(settled, timeout=WAIT))["overdue"] is False
    # When the first call falls due, it asks what version 1's plan asks, by its channel
    clinic_id = await clinic_of(clinic)
    await first_call_falls_due(clinic_id, jid)
    (due,) = await tasks_of_journey(clinic, Role.FOLLOW_UP_STAFF, jid)
    assert (due["label"], due["purpose"], due["channel"], due["questions"]) == (
        "24h",
        "first day",
        "PHONE",
        ["Pain?"],
    )
    # And the survey's results count the answer under the type's key, with its names
    scores = {"impression": 5, "trustInDoctor": 5, "priceJustified": 4, "quality": 5}
    answer = {"journeyId": jid, **scores, "idempotencyKey": new_key()}
    recorded = await run(clinic, SURVEY, Role.FOLLOW_UP_STAFF, input=answer)
    assert recorded == {"__typename": "SurveyRecorded"}
    month = clinic_month()
    results = await run(clinic, RESULTS, Role.SUPERVISOR, clinicId=clinic_id, month=month)
    # (the names of the type's newest version: version 2 was published since)
    names = [{"language": k, "text": f"{NAMES[k]} (v2)"} for k in sorted(NAMES)]
    assert results["byProcedureType"] == [
        {"key": type_key, "names": names, "averages": {"responses": 1}}
    ]


async def test_without_a_procedure_type_the_day_checks_are_still_required(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey whose plan names no procedure type, in treatment
    clinic = await fresh_clinic()
    journey = await clinic.drive_to("TREATMENT")
    jid = journey["id"]
    # When treatment is asked to start without the checks, Then the checks are asked for
    refused = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert refused["problems"] == [
        {"field": "checks", "message": "required: the journey has no procedure type"}
    ]
    # And a checklist item cannot be completed: it has no checklist
    none = await _item(clinic, jid, "identity_verified")
    assert none["__typename"] == "TransitionNotAllowed"
    # And the leaflet has nothing to be made from
    leaflet = await run(clinic, LEAFLET, Role.NURSE, id=jid, language="en")
    assert leaflet["__typename"] == "NotFound"
    await end_journey(clinic, jid)


async def test_publishing_checks_its_input_answers_retries_and_seeds_the_demo_types(
    fresh_clinic: FreshClinic,
) -> None:
    clinic = await fresh_clinic()
    # A version with an offset outside the tiers and no Chinese notes is refused, naming both
    broken = type_input("peel")
    broken["followUps"][0]["offsetHours"] = 0
    broken["discomfort"] = [n for n in broken["discomfort"] if n["language"] != "zh"]
    refused = await run(clinic, SET_TYPE, Role.SUPERVISOR, input=broken)
    assert {p["field"] for p in refused["problems"]} == {"followUps[0].offsetHours", "discomfort"}
    # A retry with the same key answers the first version; the key with other input conflicts
    key = new_key()
    first = await set_type(clinic, type_input("peel", idempotencyKey=key))
    assert await set_type(clinic, type_input("peel", idempotencyKey=key)) == first
    other = await run(
        clinic, SET_TYPE, Role.SUPERVISOR, input=type_input("peel", "x", idempotencyKey=key)
    )
    assert other["__typename"] == "Conflict"
    assert [t["version"] for t in await run(clinic, TYPES, Role.CASHIER, typeKey="peel")] == [1]
    # The demo types are seeded once, however often the seed runs
    clinic_id = await clinic_of(clinic)
    for _ in range(2):
        await seed_procedure_types(clinic_id, clinic.staff[Role.SUPERVISOR].account_id)
    listed = await run(clinic, TYPES, Role.FRONT_DESK, latestOnly=True)
    assert [(t["typeKey"], t["version"]) for t in listed] == [
        ("blepharoplasty", 1),
        ("filler", 1),
        ("peel", 1),
        ("photorejuvenation", 1),
    ]
    # (every treatment's four checks, a surgery's twelve and its local anaesthesia's one)
    assert len(listed[0]["checklist"]) == 17


FOLLOW_UP_PLAN = (
    "query Plan($typeKey: String) { procedureTypes(typeKey: $typeKey) { "
    "followUps { offsetHours tier } } }"
)


async def test_a_type_plans_its_first_call_within_24_hours_of_the_handover(
    fresh_clinic: FreshClinic,
) -> None:
    # Seed 002 §5: "短期随访:术后(治疗后)24小时内、1-3天、1周": the first call falls within 24 h,
    # such as the evening of the treatment day (a 6-hour call was refused: "24 h to 1 year")
    clinic = await fresh_clinic()
    evening = type_input("peel-evening")
    evening["followUps"][0]["offsetHours"] = 6
    await set_type(clinic, evening)
    (published,) = await run(clinic, FOLLOW_UP_PLAN, Role.NURSE, typeKey="peel-evening")
    assert published["followUps"][0] == {"offsetHours": 6, "tier": "SHORT"}
