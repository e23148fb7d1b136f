"""The handbooks' rules for the record and the team, checked through the API (found by a review
against the seeds; each test failed on the code before its rule):
- a surgery's plan has anesthesia, whose assessment is a doctor's, and a surgery's performer is
  a doctor (seeds 002 4.1, 003's surgical flow, 004);
- a procedure consent is signed on the planned type's published form when there is one, not on
  a paper form's key (seed 002 3.3: what the client is told is kept);
- the consultant's three assessments and the expert's points are recorded (seed 003 3.3, 5.4);
- a discomfort note says when the normal passes (seed 001);
- identity, plan and contraindications are checked again on the day of the treatment (DOMAIN.md
  stage 7, seed 002 4.2), not at consent days before.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.procedures.template import (
    BASE_CHECKS,
    REQUIRED_CHECKS,
    SURGICAL_CHECKS,
    ProcedureCategory,
)
from domain.roles import Role
from domain.store.models import IdempotencyKey, Journey
from domain.store.procedures import ChecklistCompletion
from schema.ids import decode_id
from tests.api import documents
from tests.api.consent_support import publish
from tests.api.flow import NEEDS, PLAN, JourneyDriver, new_key
from tests.api.procedure_support import (
    COMPLETE_ITEM,
    JOURNEY,
    SET_TYPE,
    START,
    SURGICAL_CHECKLIST,
    SURGICAL_PHOTOS,
    approved_for_a_type,
    complete_items,
    run,
    set_type,
    type_input,
)

FreshClinic = Callable[[], Awaitable[JourneyDriver]]

ANESTHESIA_CONSENT = {
    "kind": "ANESTHESIA",
    "signerName": "Anna Nowak",
    "templateId": "anesthesia-consent",
    "templateVersion": "1",
    "rightsExplained": True,
}


async def _surgery_under_review(clinic: JourneyDriver) -> tuple[str, str]:
    """A surgical procedure type, and a journey at EXPERT_REVIEW: (the journey, the type)."""
    type_key = f"bleph-{uuid.uuid4().hex[:6]}"
    photos = SURGICAL_PHOTOS
    surgery = type_input(
        type_key, category="SURGERY", checklist=SURGICAL_CHECKLIST, photoSchedule=photos
    )
    await set_type(clinic, surgery)
    journey = await clinic.drive_to("EXPERT_REVIEW")
    return journey["id"], type_key


def _approval(jid: str, type_key: str, **plan: Any) -> dict[str, Any]:
    final = {**PLAN, "procedureType": type_key, **plan}
    return {"journeyId": jid, "decision": "APPROVE", "points": "upper lids", "finalPlan": final}


async def _approved_surgery(clinic: JourneyDriver) -> str:
    jid, type_key = await _surgery_under_review(clinic)
    approval = _approval(jid, type_key, requiresAnesthesia=True)
    await clinic.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    return jid


async def test_a_surgery_s_plan_is_approved_only_with_its_anesthesia(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a blepharoplasty under the expert's review
    clinic = await fresh_clinic()
    jid, type_key = await _surgery_under_review(clinic)
    # When the expert approves its plan without anesthesia
    approval = _approval(jid, type_key)
    refused = await clinic.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    # Then it is refused, and the journey waits for the plan with it
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["finalPlan.requiresAnesthesia"]
    approved = await clinic.ok(
        documents.COMPLETE_EXPERT_REVIEW,
        Role.EXPERT,
        **_approval(jid, type_key, requiresAnesthesia=True),
    )
    assert approved["stage"] == "CONSENT", approved


@pytest.mark.parametrize(("anaesthesia", "refused_without"), [("LOCAL", True), ("NONE", False)])
async def test_a_treatment_given_under_anesthesia_asks_its_consent_whatever_its_category(
    fresh_clinic: FreshClinic, anaesthesia: str, refused_without: bool
) -> None:
    # Given an injectable type given under a local anaesthesia (an anaesthetic in the
    # injection), or under none, and a journey under the expert's review
    clinic = await fresh_clinic()
    type_key = f"filler-{uuid.uuid4().hex[:6]}"
    await set_type(clinic, type_input(type_key, category="INJECTABLES", anaesthesia=anaesthesia))
    journey = await clinic.drive_to("EXPERT_REVIEW")
    # When the expert approves its plan without anesthesia
    approval = _approval(journey["id"], type_key)
    answer = await clinic.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    # Then a type under anaesthesia is refused (DOMAIN.md: the anesthesia consent when there is
    # anesthesia), and one under none goes on to its consent
    if refused_without:
        assert answer["__typename"] == "ValidationFailed", answer
        assert [p["field"] for p in answer["problems"]] == ["finalPlan.requiresAnesthesia"]
    else:
        assert answer["journey"]["stage"] == "CONSENT", answer


async def test_the_anesthesia_assessment_is_a_doctor_s_not_a_nurse_s(
    fresh_clinic: FreshClinic,
) -> None:
    # Given an approved surgery
    clinic = await fresh_clinic()
    jid = await _approved_surgery(clinic)
    item = {"journeyId": jid, "itemCode": "anesthesia_assessment", "result": "ASA I, fit"}
    # When a nurse records the anesthesia assessment, it is refused
    by_nurse = await run(clinic, COMPLETE_ITEM, Role.NURSE, input=item)
    assert by_nurse["__typename"] == "NotAuthorized", by_nurse
    # Then the doctor records it, and a nurse still ticks the other items
    by_doctor = await run(clinic, COMPLETE_ITEM, Role.EXPERT, input=item)
    assert by_doctor["__typename"] == "ChecklistItemPayload", by_doctor
    marked = {"journeyId": jid, "itemCode": "identity_verified"}
    by_nurse = await run(clinic, COMPLETE_ITEM, Role.NURSE, input=marked)
    assert by_nurse["__typename"] == "ChecklistItemPayload", by_nurse


async def test_a_surgery_is_recorded_as_performed_by_a_doctor_not_a_nurse(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a surgery consented (procedure and anesthesia), paid, its checklist complete, begun
    clinic = await fresh_clinic()
    jid = await _approved_surgery(clinic)
    await clinic.sign_consent(jid, Role.EXPERT)
    await clinic.ok(documents.SIGN_CONSENT, Role.EXPERT, journeyId=jid, **ANESTHESIA_CONSENT)
    await clinic.pay(jid)
    await complete_items(clinic, jid, SURGICAL_CHECKLIST)
    await clinic.ok(documents.START_TREATMENT, Role.NURSE, journeyId=jid)
    record = {
        "journeyId": jid,
        "procedure": "upper blepharoplasty",
        "products": [{"name": "Suture 6-0", "lotNumber": "S-1", "dose": "1"}],
    }
    # When the record names a nurse as the one who performed it
    nurse = clinic.staff[Role.NURSE].global_id
    by_nurse = await clinic.act(
        documents.COMPLETE_TREATMENT, Role.NURSE, performerId=nurse, **record
    )
    # Then it is refused; with the doctor it is taken
    assert by_nurse["__typename"] == "ValidationFailed", by_nurse
    assert [p["field"] for p in by_nurse["problems"]] == ["performerId"]
    doctor = clinic.staff[Role.EXPERT].global_id
    done = await clinic.ok(documents.COMPLETE_TREATMENT, Role.NURSE, performerId=doctor, **record)
    assert done["stage"] == "HANDOVER", done


async def test_a_procedure_consent_is_signed_on_the_planned_type_s_published_form(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a plan for a type whose consent form the clinic published (in pl, ru, zh, en)
    clinic = await fresh_clinic()
    type_key = f"tox-{uuid.uuid4().hex[:6]}"
    await set_type(clinic, type_input(type_key))
    await publish(clinic, key="tox-procedure", procedureType=type_key)
    jid = (await clinic.drive_to("EXPERT_REVIEW"))["id"]
    await clinic.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **_approval(jid, type_key))
    paper = {
        "journeyId": jid,
        "kind": "PROCEDURE",
        "signerName": "Anna Nowak",
        "templateId": "anything-at-all",
        "templateVersion": "1",
        "rightsExplained": True,
    }
    # When the nurse names a key nothing is published under (a paper form) for a Polish client
    signed = await clinic.act(documents.SIGN_CONSENT, Role.NURSE, **paper, language="pl")
    # Then it is refused, naming the published form
    assert signed["__typename"] == "ValidationFailed", signed
    assert signed["problems"] == [
        {
            "field": "templateId",
            "message": "nothing is published under this key: sign the published consent for "
            + type_key,
        }
    ]
    # While for a client whose language no published form has, the paper form is the way
    in_ukrainian = await clinic.act(documents.SIGN_CONSENT, Role.NURSE, **paper, language="uk")
    assert in_ukrainian["__typename"] == "JourneyPayload", in_ukrainian


async def test_a_consultation_records_the_three_assessments_and_an_approval_its_points(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey with its consultant
    clinic = await fresh_clinic()
    jid = (await clinic.start())["id"]
    assigned = await clinic.assign(jid)
    # When the consultation leaves the assessments blank, it is refused
    blank = await clinic.act(
        documents.RECORD_CONSULTATION,
        Role.CONSULTANT,
        journeyId=jid,
        occupation="architect",
        needs=NEEDS,
        assessment={"psychological": " ", "spendingCapacity": "", "physicalCondition": "ok"},
        plans=[PLAN],
    )
    assert blank["__typename"] == "ValidationFailed", blank
    assert [p["field"] for p in blank["problems"]] == [
        "assessment.psychological",
        "assessment.spendingCapacity",
    ]
    # Then, recorded in full and sent for review, an approval without the points is refused
    await clinic.drive_to("EXPERT_REVIEW", assigned)
    approval = {"journeyId": jid, "decision": "APPROVE", "finalPlan": PLAN}
    pointless = await clinic.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    assert pointless["__typename"] == "ValidationFailed", pointless
    assert [p["field"] for p in pointless["problems"]] == ["points"]
    refusal = {"journeyId": jid, "decision": "REFUSE", "reason": "pregnant"}
    refused = await clinic.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **refusal)
    assert refused["stage"] == "MEDICALLY_REFUSED", refused  # (a refusal needs its reason only)


async def test_a_discomfort_note_says_when_the_normal_passes(fresh_clinic: FreshClinic) -> None:
    # Given a journey at handover with no procedure type (the doctor's notes are the leaflet's)
    clinic = await fresh_clinic()
    jid = (await clinic.drive_to("HANDOVER"))["id"]
    notes = {"normal": "swelling", "callNow": "fever", "selfCare": "cold", "activities": "-"}
    # When the notes leave out when the swelling passes, the handover is refused
    answer = await clinic.act(
        documents.HAND_OVER,
        Role.NURSE,
        journeyId=jid,
        aftercare="no make-up",
        discomfort=notes,
        course="AS_PLANNED",
    )
    assert answer["__typename"] == "ValidationFailed", answer
    assert [p["field"] for p in answer["problems"]] == ["discomfort.passes"]
    # Then with it the client goes home
    notes["passes"] = "within three days"
    handed = await clinic.ok(
        documents.HAND_OVER,
        Role.NURSE,
        journeyId=jid,
        aftercare="no make-up",
        discomfort=notes,
        course="AS_PLANNED",
    )
    assert handed["stage"] == "FOLLOW_UP", handed


async def test_the_checks_of_the_day_made_on_an_earlier_day_are_made_again_on_the_day(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey paid for, its type's checks of the day ticked two days ago (at consent),
    # its blood test done then too
    clinic = await fresh_clinic()
    jid, _ = await approved_for_a_type(clinic, f"cheeks-{uuid.uuid4().hex[:6]}")
    await clinic.sign_consent(jid)
    await clinic.pay(jid)
    earlier = datetime.now(UTC) - timedelta(days=2)
    row = await Journey.get(id=decode_id(jid, "Journey") or "")
    staff_id = clinic.staff[Role.NURSE].account_id
    for code, result in (
        ("identity_verified", None),
        ("plan_verified", None),
        ("contraindications_rechecked", None),
        ("preop_education", None),
        ("lab_blood", "Hb 13.5 g/dl"),
    ):
        await ChecklistCompletion.create(
            id=str(uuid.uuid4()),
            clinic_id=row.clinic_id,
            journey_id=row.id,
            version_id=row.facts["procedure_type_version_id"],
            item_code=code,
            result=result,
            completed_by=staff_id,
            completed_at=earlier,
        )
    # When treatment is asked to start today
    refused = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    # Then the day's checks are open again (the education and the blood test still count),
    # and shown so
    assert refused["__typename"] == "ChecklistIncomplete", refused
    assert refused["openItems"] == [
        "identity_verified",
        "plan_verified",
        "contraindications_rechecked",
    ]
    seen = await run(clinic, JOURNEY, Role.NURSE, id=jid)
    assert [item["done"] for item in seen["checklist"]] == [False, False, False, True, True]
    for code in refused["openItems"]:
        item = {"journeyId": jid, "itemCode": code}
        assert (await run(clinic, COMPLETE_ITEM, Role.NURSE, input=item))["__typename"] == (
            "ChecklistItemPayload"
        )
    started = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert started["journey"]["stage"] == "TREATMENT", started


async def test_a_surgical_type_published_before_the_examination_rules_is_answered_on_retry(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a surgical type published under the rules before a surgery's examination checks
    # (no operative_site_checked, no symmetry_recorded), its answer lost or not
    clinic = await fresh_clinic()
    before_the_rule = BASE_CHECKS + tuple(
        code
        for code in SURGICAL_CHECKS
        if code not in ("operative_site_checked", "symmetry_recorded")
    )
    local = (*before_the_rule, "bladder_bowels_emptied")  # its local anaesthesia's
    checklist = [item for item in SURGICAL_CHECKLIST if item["code"] in local]
    photos = SURGICAL_PHOTOS
    surgery = type_input(
        f"bleph-{uuid.uuid4().hex[:6]}",
        category="SURGERY",
        checklist=checklist,
        photoSchedule=photos,
        idempotencyKey=new_key(),
    )
    with monkeypatch.context() as before:
        before.setitem(REQUIRED_CHECKS, ProcedureCategory.SURGERY, before_the_rule)
        first = await run(clinic, SET_TYPE, Role.SUPERVISOR, input=surgery)
    assert first["__typename"] == "ProcedureTypePayload", first
    # When the supervisor's app retries it with its key
    retry = await run(clinic, SET_TYPE, Role.SUPERVISOR, input=surgery)
    lost = await IdempotencyKey.filter(key=surgery["idempotencyKey"]).update(result_id="")
    after_a_lost_answer = await run(clinic, SET_TYPE, Role.SUPERVISOR, input=surgery)
    # Then it is answered as the first time, both ways; the same type under a new key meets
    # today's rules
    assert lost == 1
    assert retry == first and after_a_lost_answer == first
    anew = await run(
        clinic, SET_TYPE, Role.SUPERVISOR, input={**surgery, "idempotencyKey": new_key()}
    )
    assert anew["__typename"] == "ValidationFailed", anew
