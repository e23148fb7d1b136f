"""The GraphQL operations the benchmark sends, and a small client that times nothing itself.

Each mutation selects only the `__typename`, the id and the stage: the point is the cost of the
API path (parse, validate, authorise, read model, Temporal), not of serialising a large answer.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from server.seed import DEMO_PASSWORD, demo_username

_JOURNEY_RESULT = """
    __typename
    ... on JourneyPayload { journey { id stage } }
    ... on UserError { code message }
"""

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) {
    __typename
    ... on LoginPayload { token staff { id } }
    ... on UserError { code message }
  }
}"""

REGISTER_CLIENT = """
mutation Register($input: RegisterClientInput!) {
  registerClient(input: $input) {
    __typename
    ... on ClientPayload { client { id } }
    ... on UserError { code message }
  }
}"""


def _journey_mutation(field: str, input_type: str) -> str:
    return (
        f"mutation Step($input: {input_type}!) {{\n"
        f"  {field}(input: $input) {{{_JOURNEY_RESULT}  }}\n}}"
    )


START_JOURNEY = _journey_mutation("startJourney", "StartJourneyInput")
ASSIGN_CONSULTANT = _journey_mutation("assignConsultant", "AssignConsultantInput")
RECORD_CONSULTATION = _journey_mutation("recordConsultation", "RecordConsultationInput")
CLOSE_NOT_CONVERTED = _journey_mutation("closeNotConverted", "CloseJourneyInput")


class BenchError(RuntimeError):
    """The API answered something other than the success payload the benchmark expects."""


def client_input(n: int) -> dict[str, Any]:
    """Client `n` of a run: a name and a phone no other number of the run has, so that no
    registration is refused as a client the clinic already has (a phone is matched by its
    digits: numbers a million apart, as the throughput generators' are, shared one)."""
    return {
        "fullName": f"Bench Client {n}",
        "birthDate": "1990-05-17",
        "phone": f"+48 600 {n // 1_000_000:03d} {n // 1000 % 1000:03d} {n % 1000:03d}",
        "dataConsent": True,
        "occupation": "architect",
    }


# The plan every benchmark proposes (and its expert approves).
PLAN: dict[str, Any] = {
    "title": "Botulinum toxin, upper face",
    "items": ["forehead lines", "crow's feet"],
    "effect": "smoother upper face for 4 to 6 months",
    "cycle": "one session, review at 2 weeks",
    "price": "1200.00",
    "currency": "PLN",
    "risks": "bruising, mild headache",
    "recovery": "none; no exercise for 24 h",
}


def consultation_input(journey_id: str) -> dict[str, Any]:
    """A realistic consultation: needs, assessment and one proposed plan."""
    return {
        "journeyId": journey_id,
        "occupation": "architect",
        "needs": {
            "areas": ["forehead", "crow's feet"],
            "goal": "soften expression lines before a wedding",
            "expectation": "natural look, no downtime",
            "noEarlierTreatments": True,
        },
        "assessment": {
            "psychological": "realistic expectations",
            "spendingCapacity": "medium",
            "physicalCondition": "healthy, no contraindications",
        },
        "plans": [PLAN],
    }


class GraphQLClient:
    """POSTs to the API over one keep-alive aiohttp session."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session, self.url = session, url

    async def call(
        self, query: str, variables: dict[str, Any], token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        payload = {"query": query, "variables": variables}
        async with self.session.post(self.url, json=payload, headers=headers) as response:
            body = await response.json()
            if response.status != 200 or body.get("errors"):
                raise BenchError(f"HTTP {response.status}: {body.get('errors') or body}")
        data: dict[str, Any] = body["data"]
        return data

    async def mutate(
        self, query: str, field: str, expected: str, input_: dict[str, Any], token: str
    ) -> dict[str, Any]:
        """Runs a mutation and returns its result if `__typename` is `expected`."""
        result: dict[str, Any] = (await self.call(query, {"input": input_}, token))[field]
        if result.get("__typename") != expected:
            raise BenchError(f"{field} answered {result}")
        return result

    async def login(self, role_value: str) -> tuple[str, str]:
        """Signs in as the demo account for a role; returns (token, staff global id)."""
        credentials = {"username": demo_username(role_value), "password": DEMO_PASSWORD}
        data = await self.call(LOGIN, {"input": credentials})
        result = data["login"]
        if result.get("__typename") != "LoginPayload":
            raise BenchError(f"login as {role_value} answered {result}")
        return str(result["token"]), str(result["staff"]["id"])
