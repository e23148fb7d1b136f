"""The canary's procedure type: published with every text marked, then a journey that takes
it, completes its checklist with marked results and is treated and handed over by it."""

from __future__ import annotations

from domain.roles import Role
from tests.api.canary_disclosure import share_the_file
from tests.api.canary_visits import ASKED, PLAN_CODES, Visit

LANGUAGES = ("pl", "ru", "zh", "en")
CHECKLIST = ("identity_verified", "plan_verified", "contraindications_rechecked", "preop_education")


async def follow_a_procedure_type(visit: Visit) -> None:
    every_language = [{"language": language} for language in LANGUAGES]
    published = await visit.call(
        Role.SUPERVISOR,
        "setProcedureType",
        "ProcedureTypePayload",
        "... on ProcedureTypePayload { procedureType { typeKey version } }",
        category="INJECTABLES",
        names=every_language,
        checklist=[{"code": code, "needsResult": True} for code in CHECKLIST],
        followUps=[{"offsetHours": 24, "channel": "PHONE"}],
        photoSchedule=[{"code": "before", "offsetDays": 0}],
        discomfort=every_language,
        warranty={"periodDays": 30, "terms": every_language},
    )
    type_key = published["procedureType"]["typeKey"]
    client = await visit.client()
    journey = await visit.start(client=client)
    assign = {"journeyId": journey, "items": ["skin"]}
    await visit.call(Role.FRONT_DESK, "autoAssign", "AutoAssignPayload", **assign)
    await visit.desk(Role.FRONT_DESK, "acceptClient", journeyId=journey)
    await visit.step(
        Role.CONSULTANT, "recordConsultation", journey, needs=ASKED, plans=[PLAN_CODES]
    )
    expert = visit.staff[Role.EXPERT].global_id
    await visit.step(Role.CONSULTANT, "requestExpertReview", journey, expertId=expert)
    plan = {**PLAN_CODES, "procedureType": type_key}
    await visit.step(
        Role.EXPERT, "completeExpertReview", journey, decision="APPROVE", finalPlan=plan
    )
    await share_the_file(visit, journey, client)  # a consent that outlives the visit
    consent = {"kind": "PROCEDURE", "rightsExplained": True, "signature": {"format": "SVG_PATH"}}
    await visit.step(Role.NURSE, "signConsent", journey, **consent)
    payment = {"amount": "1200.00", "currency": "EUR", "method": "CARD", "kind": "FULL"}
    await visit.step(Role.CASHIER, "recordPayment", journey, **payment)
    for code in CHECKLIST:  # each result marked
        await visit.call(
            Role.NURSE,
            "completeChecklistItem",
            "ChecklistItemPayload",
            journeyId=journey,
            itemCode=code,
        )
    await visit.step(Role.NURSE, "startTreatment", journey)
    performer = visit.staff[Role.EXPERT].global_id
    await visit.step(
        Role.EXPERT, "completeTreatment", journey, performerId=performer, products=[{}]
    )
    # The notes from the procedure type; the course note and why no medicine is given marked
    await visit.step(Role.NURSE, "handOver", journey, course="AS_PLANNED", prescriptions=[])
    done = await visit.step(Role.SUPERVISOR, "closeFollowUps", journey)
    assert done["stage"] == "COMPLETED", done
