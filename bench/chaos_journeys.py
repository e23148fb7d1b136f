"""Journeys from registration to FOLLOW_UP, every call retried with its own idempotency key.

A call that fails in any way the client can see (no connection, HTTP error, GraphQL error, a
typed error) is counted and sent again, same key, after a back-off; bounded in attempts.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.operations import (
    ASSIGN_CONSULTANT,
    LOGIN,
    PLAN,
    RECORD_CONSULTATION,
    REGISTER_CLIENT,
    START_JOURNEY,
    client_input,
    consultation_input,
)
from domain.roles import Role
from server.seed import DEMO_PASSWORD, demo_username

ATTEMPTS = 12
FIRST_BACKOFF = 0.25
MAX_BACKOFF = 5.0
CALL_TIMEOUT = aiohttp.ClientTimeout(total=30)

CHECKS = {
    "identityVerified": True,
    "planVerified": True,
    "pregnancyExcluded": True,
    "lactationExcluded": True,
    "allergiesChecked": True,
    "medicationChecked": True,
}
# Every action a journey to FOLLOW_UP takes, in order; each must be in its history exactly once.
EXPECTED_ACTIONS = (
    "check_in",
    "assign_consultant",
    "record_consultation",
    "request_expert_review",
    "approve_plan",
    "sign_consent",
    "record_payment",
    "start_treatment",
    "complete_treatment",
    "hand_over",
)
HISTORY = """
query History($id: ID!) {
  journey(id: $id) {
    __typename
    ... on Journey { stage history { action } }
    ... on UserError { code message }
  }
}"""


def _mutation(field_name: str, input_type: str) -> str:
    return (
        f"mutation Step($input: {input_type}!) {{\n  {field_name}(input: $input) {{\n"
        "    __typename\n    ... on JourneyPayload { journey { id stage } }\n"
        "    ... on UserError { code message }\n  }\n}"
    )


class GaveUp(RuntimeError):
    """A call still failed after ATTEMPTS tries."""


@dataclass
class Tally:
    """What the clients saw: every failed attempt, and when calls succeeded."""

    errors: Counter[str] = field(default_factory=Counter)
    successes: list[float] = field(default_factory=list)

    def first_success_after(self, moment: float) -> float | None:
        return next((t for t in self.successes if t >= moment), None)


class Caller:
    def __init__(self, session: aiohttp.ClientSession, url: str, tally: Tally) -> None:
        self.session, self.url, self.tally = session, url, tally

    async def _once(self, query: str, variables: dict[str, Any], token: str | None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = {"query": query, "variables": variables}
        async with self.session.post(self.url, json=body, headers=headers) as answer:
            if answer.status != 200:
                raise GaveUp(f"HTTP {answer.status}")
            data = await answer.json()
        if not isinstance(data, dict) or data.get("errors") or not data.get("data"):
            messages = (
                [e.get("message", "") for e in data.get("errors") or []]
                if isinstance(data, dict)
                else []
            )
            raise GaveUp(f"GraphQL error {'; '.join(messages) or str(data)[:120]}")
        (value,) = data["data"].values()
        return value

    async def call(
        self, name: str, query: str, variables: dict[str, Any], token: str | None, expected: str
    ) -> dict[str, Any]:
        """The result once its `__typename` is `expected`."""
        delay, problem = FIRST_BACKOFF, ""
        for _ in range(ATTEMPTS):
            try:
                value = await self._once(query, variables, token)
            except GaveUp as error:
                problem = kind = str(error)[:160]
            except (aiohttp.ClientError, TimeoutError, ValueError) as error:
                kind = type(error).__name__
                problem = f"{kind}: {error}"[:160]
            else:
                if value is not None and value.get("__typename") == expected:
                    self.tally.successes.append(time.monotonic())
                    return dict(value)
                kind = str((value or {}).get("__typename"))
                problem = f"{kind}: {(value or {}).get('message')}"
            self.tally.errors[f"{name}: {kind[:60]}"] += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF)
        raise GaveUp(f"{name}: {problem} (after {ATTEMPTS} attempts)")


ROLES = (Role.FRONT_DESK, Role.CONSULTANT, Role.EXPERT, Role.NURSE, Role.CASHIER, Role.SUPERVISOR)


class Crew:
    """One signed-in demo account per role the happy path needs."""

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.tokens: dict[Role, str] = {}
        self.ids: dict[Role, str] = {}

    async def sign_in(self) -> None:
        for role in ROLES:
            credentials = {"username": demo_username(role.value), "password": DEMO_PASSWORD}
            result = await self.caller.call(
                "login", LOGIN, {"input": credentials}, None, "LoginPayload"
            )
            self.tokens[role], self.ids[role] = str(result["token"]), str(result["staff"]["id"])

    async def _step(
        self, run: str, n: int, name: str, document: str, role: Role, input_: dict[str, Any]
    ) -> dict[str, Any]:
        keyed = {**input_, "idempotencyKey": f"{run}-{n}-{name}"}
        expected = "ClientPayload" if name == "registerClient" else "JourneyPayload"
        return await self.caller.call(name, document, {"input": keyed}, self.tokens[role], expected)

    async def journey_to_follow_up(self, run: str, n: int, started: dict[int, str]) -> None:
        """Registers client `n` and walks its journey to FOLLOW_UP; `started[n]` is its id."""
        registered = await self._step(
            run, n, "registerClient", REGISTER_CLIENT, Role.FRONT_DESK, client_input(n)
        )
        journey = await self._step(
            run,
            n,
            "startJourney",
            START_JOURNEY,
            Role.FRONT_DESK,
            {"clientId": registered["client"]["id"], "reason": "expression lines"},
        )
        jid = str(journey["journey"]["id"])
        started[n] = jid
        for name, role, input_ in self._path(jid):
            input_type = f"{name[0].upper()}{name[1:]}Input"
            document = _DOCUMENTS.get(name) or _mutation(name, input_type)
            await self._step(run, n, name, document, role, input_)

    def _path(self, jid: str) -> list[tuple[str, Role, dict[str, Any]]]:
        j = {"journeyId": jid}
        discomfort = {
            "normal": "mild swelling",
            "passes": "within three days",
            "callNow": "fever, severe pain",
            "selfCare": "cold compress",
            "activities": "no sauna for a week",
        }
        briefing = {
            "goal": "look rested",
            "expectation": "natural",
            "history": "none",
            "proposedItems": PLAN["items"],
            "helpWanted": "confirm the plan",
        }
        consent = {
            "kind": "PROCEDURE",
            "signerName": "Chaos Client",
            "templateId": "procedure-consent",
            "templateVersion": "2024-1",
            "rightsExplained": True,
        }
        payment = {"amount": PLAN["price"], "currency": "PLN", "method": "CARD", "kind": "FULL"}
        product = {"name": "Toxin X", "lotNumber": "LOT-42", "dose": "50 U"}
        treatment = {
            "performerId": self.ids[Role.NURSE],
            "procedure": "toxin",
            "products": [product],
        }
        return [
            ("assignConsultant", Role.FRONT_DESK, {**j, "consultantId": self.ids[Role.CONSULTANT]}),
            ("recordConsultation", Role.CONSULTANT, consultation_input(jid)),
            (
                "requestExpertReview",
                Role.CONSULTANT,
                {**j, "expertId": self.ids[Role.EXPERT], "briefing": briefing},
            ),
            (
                "completeExpertReview",
                Role.EXPERT,
                {**j, "decision": "APPROVE", "points": "as discussed", "finalPlan": PLAN},
            ),
            ("signConsent", Role.NURSE, {**j, **consent}),
            ("recordPayment", Role.CASHIER, {**j, **payment}),
            ("startTreatment", Role.NURSE, {**j, "checks": CHECKS}),
            ("completeTreatment", Role.NURSE, {**j, **treatment}),
            (
                "handOver",
                Role.NURSE,
                {
                    **j,
                    "aftercare": "no make-up until tomorrow",
                    "discomfort": discomfort,
                    "course": "AS_PLANNED",
                },
            ),
        ]

    async def history(self, jid: str) -> tuple[str, Counter[str]]:
        """The journey's stage and how often each action is in its history."""
        journey = await self.caller.call(
            "history", HISTORY, {"id": jid}, self.tokens[Role.SUPERVISOR], "Journey"
        )
        return str(journey["stage"]), Counter(event["action"] for event in journey["history"])


_DOCUMENTS = {"assignConsultant": ASSIGN_CONSULTANT, "recordConsultation": RECORD_CONSULTATION}
