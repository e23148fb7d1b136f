"""Walks journeys through the API, each step by the role the clinic gives it, with its own login."""

from __future__ import annotations

import uuid
from typing import Any

from domain.roles import Role
from tests.api import aftercare_documents, documents
from tests.api.harness import Api, Staff, eventually

PLAN = {
    "title": "Full-face rejuvenation",
    "items": ["hyaluronic acid, cheeks", "botulinum toxin, forehead"],
    "effect": "fresher look",
    "cycle": "one session",
    "price": "1200.00",
    "currency": "EUR",
    "risks": "bruising, swelling",
    "recovery": "two days",
}
CHECKS = {
    "identityVerified": True,
    "planVerified": True,
    "pregnancyExcluded": True,
    "lactationExcluded": True,
    "allergiesChecked": True,
    "medicationChecked": True,
}
# Her needs as the happy path records them: what she has had before, when, and how it went.
EARLIER_TREATMENT = {"what": "botox, forehead", "when": "2023", "effect": "smooth for four months"}
NEEDS = {
    "areas": ["face"],
    "goal": "look rested",
    "expectation": "natural",
    "earlierTreatments": [EARLIER_TREATMENT],
}
# A consultation's input beside its journey id (and key): what the happy path records.
CONSULTATION = {
    "occupation": "architect",
    "needs": NEEDS,
    "assessment": {
        "psychological": "realistic",
        "spendingCapacity": "medium",
        "physicalCondition": "good",
    },
    "plans": [PLAN],
}
# The happy path: after the journey's last event, (the next step, the stage it leads to).
HAPPY_PATH = {
    "check_in": ("assign", "CONSULTATION"),
    "assign_consultant": ("consult", "CONSULTATION"),
    "record_consultation": ("request_review", "EXPERT_REVIEW"),
    "request_expert_review": ("approve", "CONSENT"),
    "approve_plan": ("sign_consent", "PAYMENT"),
    "sign_consent": ("pay", "TREATMENT"),
    "record_payment": ("start_treatment", "TREATMENT"),
    "start_treatment": ("complete_treatment", "HANDOVER"),
    "complete_treatment": ("hand_over", "FOLLOW_UP"),
}


def approval(journey_id: str, **plan: Any) -> dict[str, Any]:
    """The input of the expert's approval of PLAN, with `plan`'s fields in place of its own."""
    return {
        "journeyId": journey_id,
        "decision": "APPROVE",
        "points": "volume in the cheeks, no lips",
        "finalPlan": {**PLAN, **plan},
    }


class JourneyDriver:
    def __init__(self, api: Api, staff: dict[Role, Staff]) -> None:
        self.api = api
        self.staff = staff

    def token(self, role: Role) -> str:
        return self.staff[role].token

    async def act(self, document: str, role: Role, **input: Any) -> dict[str, Any]:
        """Runs a journey mutation and returns its JourneyResult member, whichever it is."""
        data = await self.api.run(document, self.token(role), input=input)
        (result,) = data.values()
        return result  # type: ignore[no-any-return]

    async def ok(self, document: str, role: Role, **input: Any) -> dict[str, Any]:
        result = await self.act(document, role, **input)
        assert result["__typename"] == "JourneyPayload", result
        return result["journey"]  # type: ignore[no-any-return]

    async def journey(self, journey_id: str, role: Role = Role.SUPERVISOR) -> dict[str, Any]:
        data = await self.api.run(documents.JOURNEY, self.token(role), id=journey_id)
        return data["journey"]  # type: ignore[no-any-return]

    async def register_client(self, name: str = "Anna Nowak") -> str:
        data = await self.api.run(
            documents.REGISTER_CLIENT,
            self.token(Role.FRONT_DESK),
            input={
                "fullName": name,
                "birthDate": "1988-04-12",
                "phone": "+48 600 100 200",
                "dataConsent": True,
                # Every client of the tests shares this phone: each is meant as another person.
                "registerAnyway": True,
            },
        )
        result = data["registerClient"]
        assert result["__typename"] == "ClientPayload", result
        return result["client"]["id"]  # type: ignore[no-any-return]

    async def start(self, client_id: str | None = None, **extra: Any) -> dict[str, Any]:
        client_id = client_id or await self.register_client()
        return await self.ok(documents.START_JOURNEY, Role.FRONT_DESK, clientId=client_id, **extra)

    # --- the happy path, one method per step ---------------------------------------------

    async def assign(self, jid: str, **extra: Any) -> dict[str, Any]:
        consultant = self.staff[Role.CONSULTANT].global_id
        return await self.ok(
            documents.ASSIGN_CONSULTANT,
            Role.FRONT_DESK,
            journeyId=jid,
            consultantId=consultant,
            **extra,
        )

    async def consult(self, jid: str) -> dict[str, Any]:
        return await self.ok(
            documents.RECORD_CONSULTATION,
            Role.CONSULTANT,
            journeyId=jid,
            **CONSULTATION,
        )

    async def request_review(self, jid: str) -> dict[str, Any]:
        briefing = {
            "goal": "look rested",
            "expectation": "natural",
            "history": "none",
            "proposedItems": PLAN["items"],
            "helpWanted": "confirm the plan",
        }
        expert = self.staff[Role.EXPERT].global_id
        return await self.ok(
            documents.REQUEST_EXPERT_REVIEW,
            Role.CONSULTANT,
            journeyId=jid,
            expertId=expert,
            briefing=briefing,
        )

    async def approve(self, jid: str, **plan: Any) -> dict[str, Any]:
        """The expert approves PLAN, with `plan`'s fields in place of its own."""
        return await self.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval(jid, **plan))

    async def sign_consent(self, jid: str, role: Role = Role.NURSE) -> dict[str, Any]:
        """The procedure consent on a paper form, taken by `role` (a surgery's: `Role.EXPERT`)."""
        return await self.ok(
            documents.SIGN_CONSENT,
            role,
            journeyId=jid,
            kind="PROCEDURE",
            signerName="Anna Nowak",
            templateId="procedure-consent",
            templateVersion="2024-1",
            rightsExplained=True,
        )

    async def pay(self, jid: str) -> dict[str, Any]:
        return await self.ok(
            documents.RECORD_PAYMENT,
            Role.CASHIER,
            journeyId=jid,
            amount=PLAN["price"],
            currency="EUR",
            method="CARD",
            kind="FULL",
        )

    async def start_treatment(self, jid: str) -> dict[str, Any]:
        return await self.ok(documents.START_TREATMENT, Role.NURSE, journeyId=jid, checks=CHECKS)

    async def complete_treatment(self, jid: str) -> dict[str, Any]:
        return await self.ok(
            documents.COMPLETE_TREATMENT,
            Role.NURSE,
            journeyId=jid,
            performerId=self.staff[Role.NURSE].global_id,
            procedure="fillers and toxin",
            products=[{"name": "Filler X", "lotNumber": "LOT-42", "dose": "1 ml"}],
        )

    async def hand_over(self, jid: str) -> dict[str, Any]:
        discomfort = {
            "normal": "mild swelling",
            "passes": "within three days",
            "callNow": "fever, severe pain",
            "selfCare": "cold compress",
            "activities": "no sauna for a week",
        }
        return await self.ok(
            documents.HAND_OVER,
            Role.NURSE,
            journeyId=jid,
            aftercare="no make-up today",
            discomfort=discomfort,
            course="AS_PLANNED",
        )

    async def complete_follow_up(self, jid: str, follow_up_id: str) -> dict[str, Any]:
        return await self.ok(
            documents.COMPLETE_FOLLOW_UP,
            Role.FOLLOW_UP_STAFF,
            journeyId=jid,
            followUpId=follow_up_id,
            outcome="REACHED",
            satisfaction=5,
        )

    # --- composites ---------------------------------------------------------------------------

    async def drive_to(self, stage: str, journey: dict[str, Any] | None = None) -> dict[str, Any]:
        """From a fresh (or the given) journey along the happy path until it is in `stage`."""
        journey = journey or await self.start()
        while journey["stage"] != stage:
            step, after = HAPPY_PATH[journey["history"][-1]["action"]]
            journey = await getattr(self, step)(journey["id"])
            assert journey["stage"] == after, (step, journey["stage"])
        return journey

    async def wait_until_due(self, jid: str, count: int, timeout: float = 30) -> dict[str, Any]:
        """Waits (bounded) until the journey's timers have made `count` follow-ups due."""

        def due(journey: dict[str, Any]) -> bool:
            statuses = [f["status"] for f in journey["followUps"]]
            return statuses.count("DUE") >= count

        return await eventually(  # type: ignore[no-any-return]
            lambda: self.journey(jid), due, timeout=timeout, what=f"{count} follow-up(s) due"
        )


async def assert_unchanged(driver: JourneyDriver, before: dict[str, Any]) -> None:
    """A refused action left no trace: same stage, same history, same follow-ups."""
    after = await driver.journey(before["id"])
    assert after["stage"] == before["stage"]
    assert after["history"] == before["history"]
    assert after["followUps"] == before["followUps"]


def new_key() -> str:
    return f"key-{uuid.uuid4()}"


async def end_journey(driver: JourneyDriver, journey_id: str) -> None:
    """Cancels a journey whose task queue no worker serves after its test: reconcile's check of
    every active journey would otherwise wait on it."""
    await driver.ok(documents.CANCEL_JOURNEY, Role.FRONT_DESK, journeyId=journey_id, reason="done")


async def consultants_call_their_clients(driver: JourneyDriver) -> None:
    """The clinic has each journey's consultant make its after-care calls (OWNING_CONSULTANT)."""
    policy = {
        "followUpAssignee": "OWNING_CONSULTANT",
        "overdueAfterHours": 24,
        "warrantyDays": 365,
        "idempotencyKey": new_key(),
    }
    token = driver.token(Role.SUPERVISOR)
    answer = await driver.api.run(aftercare_documents.SET_POLICY, token, input=policy)
    assert answer["setAftercarePolicy"]["__typename"] == "AftercarePolicyPayload", answer
