"""The clients of the topology run: callers that fail over between the two APIs (as a load
balancer would), journeys walked to COMPLETED, and a subscriber on one API."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp

from bench.chaos_journeys import Caller, Crew, GaveUp, Tally
from bench.operations import LOGIN
from domain.roles import Role
from server.seed import DEMO_PASSWORD, demo_username

FOLLOW_UPS = """
query FollowUps($id: ID!) {
  journey(id: $id) {
    __typename
    ... on Journey { stage followUps { id status } }
    ... on UserError { code message }
  }
}"""
COMPLETE_FOLLOW_UP = """
mutation Done($input: CompleteFollowUpInput!) {
  completeFollowUp(input: $input) {
    __typename
    ... on JourneyPayload { journey { id stage } }
    ... on UserError { code message }
  }
}"""
JOURNEY_CHANGED = "subscription Watch($id: ID!) { journeyChanged(id: $id) { stage } }"
POLL_EVERY = 0.5


class FailoverCaller(Caller):
    """Sends to its preferred API; a request that cannot connect goes to the next one, the way a
    load balancer takes a dead replica out. Every switch is counted."""

    def __init__(
        self, session: aiohttp.ClientSession, urls: list[str], tally: Tally, prefer: int
    ) -> None:
        super().__init__(session, urls[prefer % len(urls)], tally)
        self.urls, self.index, self.failovers = urls, prefer % len(urls), 0

    async def _once(self, query: str, variables: dict[str, Any], token: str | None) -> Any:
        try:
            return await super()._once(query, variables, token)
        except aiohttp.ClientConnectionError:
            self.index = (self.index + 1) % len(self.urls)
            self.url = self.urls[self.index]
            self.failovers += 1
            raise


class Team(Crew):
    """The chaos crew plus follow-up staff, so a journey can be walked to COMPLETED."""

    async def sign_in(self) -> None:
        await super().sign_in()
        credentials = {"username": demo_username(Role.FOLLOW_UP_STAFF.value)}
        credentials["password"] = DEMO_PASSWORD
        result = await self.caller.call(
            "login", LOGIN, {"input": credentials}, None, "LoginPayload"
        )
        self.tokens[Role.FOLLOW_UP_STAFF] = str(result["token"])

    def sharing(self, caller: Caller) -> Team:
        """The same signed-in accounts, calling through ``caller``."""
        team = Team(caller)
        team.tokens, team.ids = self.tokens, self.ids
        return team

    async def finish(self, run: str, n: int, jid: str, deadline: float) -> str:
        """Completes each follow-up as it falls due; the journey's final stage."""
        token = self.tokens[Role.FOLLOW_UP_STAFF]
        while time.monotonic() < deadline:
            journey = await self.caller.call("followUps", FOLLOW_UPS, {"id": jid}, token, "Journey")
            if journey["stage"] != "FOLLOW_UP":
                return str(journey["stage"])
            for due in [f for f in journey["followUps"] if f["status"] == "DUE"]:
                done = {
                    "journeyId": jid,
                    "followUpId": due["id"],
                    "outcome": "REACHED",
                    "satisfaction": 5,
                    "idempotencyKey": f"{run}-{n}-{due['id']}",
                }
                await self.caller.call(
                    "completeFollowUp", COMPLETE_FOLLOW_UP, {"input": done}, token, "JourneyPayload"
                )
            await asyncio.sleep(POLL_EVERY)
        raise GaveUp(f"journey {n} still in FOLLOW_UP at the deadline")


class Subscriber:
    """`journeyChanged` over graphql-transport-ws on one API; the stages it hears, and when."""

    def __init__(self, session: aiohttp.ClientSession, ws_url: str, token: str) -> None:
        self.session, self.ws_url, self.token = session, ws_url, token
        self.heard: list[tuple[float, str]] = []
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task[None] | None = None

    async def open(self, jid: str) -> None:
        self.ws = await self.session.ws_connect(self.ws_url, protocols=["graphql-transport-ws"])
        payload = {"Authorization": f"Bearer {self.token}"}
        await self.ws.send_json({"type": "connection_init", "payload": payload})
        ack = await self.ws.receive_json(timeout=10)
        if ack.get("type") != "connection_ack":
            raise GaveUp(f"subscription refused: {ack}")
        query = {"query": JOURNEY_CHANGED, "variables": {"id": jid}}
        await self.ws.send_json({"id": "1", "type": "subscribe", "payload": query})
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.ws is not None
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            if data.get("type") == "next":
                journey = (data["payload"].get("data") or {}).get("journeyChanged") or {}
                self.heard.append((time.monotonic(), str(journey.get("stage"))))

    async def wait_for(self, stage: str, timeout: float) -> float | None:
        """The moment ``stage`` was heard, or None after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for moment, heard in self.heard:
                if heard == stage:
                    return moment
            await asyncio.sleep(0.05)
        return None

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)
