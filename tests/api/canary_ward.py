"""The canary's visit to the ward after an operation (seed 003): a client operated on yesterday
evening, observed after it and seen on the next day's round, both recorded and corrected. None
of it touches a workflow: the records read the journey's operation from the read model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.roles import Role
from tests.api.canary_visits import Visit
from tests.api.post_op_support import VITALS, operated_yesterday, yesterday_evening
from tests.api.procedure_support import SURGICAL_CHECKLIST, SURGICAL_PHOTOS

ENTRY = (
    "... on ClientEntryPayload { entry { ... on PostOpObservationEntry { id } "
    "... on WardRoundEntry { id } } }"
)
LANGUAGES = ("pl", "ru", "zh", "en")


async def keep_the_ward(visit: Visit) -> None:
    every_language = [{"language": language} for language in LANGUAGES]
    published = await visit.call(
        Role.SUPERVISOR,
        "setProcedureType",
        "ProcedureTypePayload",
        "... on ProcedureTypePayload { procedureType { typeKey } }",
        category="SURGERY",
        anaesthesia="LOCAL",
        names=every_language,
        checklist=[
            {"code": item["code"], "needsResult": bool(item.get("needsResult"))}
            for item in SURGICAL_CHECKLIST
        ],
        followUps=[{"offsetHours": 24, "channel": "PHONE"}],
        photoSchedule=SURGICAL_PHOTOS,
        discomfort=every_language,
        warranty={"periodDays": 30, "terms": every_language},
    )
    client = await visit.client()
    ended = yesterday_evening()
    journey = await operated_yesterday(client, published["procedureType"]["typeKey"], ended)
    observation = {
        "observedAt": (ended + timedelta(hours=1)).isoformat(),
        "anaesthesia": "LOCAL",
        "vitals": VITALS,
    }
    observed = await visit.call(
        Role.NURSE,
        "recordPostOpObservation",
        "ClientEntryPayload",
        ENTRY,
        journeyId=journey,
        **observation,
    )
    visit_ = {"visitedAt": datetime.now(UTC).isoformat(), "recoveringAsExpected": True}
    seen = await visit.call(
        Role.EXPERT, "recordWardRound", "ClientEntryPayload", ENTRY, journeyId=journey, **visit_
    )
    for role, entry, part, fields in (
        (Role.NURSE, observed, "postOpObservation", observation),
        (Role.EXPERT, seen, "wardRound", visit_),
    ):
        await visit.call(
            role,
            "amendClientEntry",
            "ClientEntryPayload",
            ENTRY,
            entryId=entry["entry"]["id"],
            **{part: fields},
        )
