"""The per-request context: who is asking, the journey gateway, and the request's DataLoaders."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from domain.auth import SigningKeys, TokenClaims
from domain.journey.facts import Actor
from domain.photos.storage import PhotoStore
from schema.auth.session import Session, bearer_token, check_session
from schema.auth.throttle import LoginThrottle
from schema.auth.watch import SessionWatch
from schema.clock import Clock, WallClock
from schema.loaders import Loaders
from workflows.client import JourneyGateway


@dataclass(frozen=True)
class ApiConfig:
    """What the schema needs from the server's settings."""

    signing_keys: SigningKeys
    token_ttl_seconds: int
    follow_up_offsets: tuple[int, ...] | None = None
    # Proxies in front of the API that append to X-Forwarded-For (client address for throttling).
    trusted_proxy_hops: int = 0
    # Photos: where their bytes go, the largest accepted, how long a link to one works.
    photo_store: PhotoStore | None = None
    photo_max_bytes: int = 10 * 1024**2
    photo_link_seconds: int = 300
    # What "now" is for the tasks' overdue state, read and pushed (`schema.clock`).
    clock: Clock = field(default_factory=WallClock)


@dataclass(frozen=True)
class AuthServices:
    """Process-wide state of signing in, shared by every request of one app."""

    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    watch: SessionWatch = field(default_factory=SessionWatch)


@dataclass
class Context:
    gateway: JourneyGateway
    config: ApiConfig
    feed: Any  # schema.feed.JourneyFeed; typed loosely to keep this module import-light
    auth: AuthServices
    authorization: str | None = None
    loaders: Loaders = field(default_factory=Loaders)
    request: Any = None
    response: Any = None
    # The HTTP request's id (a WebSocket's: its upgrade request), for the audit trail.
    request_id: str | None = None
    # Whether the operation came over plain HTTP (not a WebSocket): subscriptions are refused
    # there (`schema.operation_choice`).
    over_http: bool = False
    # Set by Strawberry from a WebSocket's connection_init payload (browsers cannot set headers).
    connection_params: dict[str, Any] | None = None
    # Checked before each operation (schema.auth.session.SessionCheck). Each operation on a
    # WebSocket has a context of its own (`for_operation`): a revoked token stops on the next.
    session: Session | None = None
    # Where in the answer a mutation asked the ledger about its key itself (`schema.idempotency
    # .asked`): its refusal is not looked up again (`schema.keyed_refusals`).
    keys_asked: set[tuple[str | int, ...]] = field(default_factory=set)
    # The journeys (clinic id, journey id) whose step the operation counted and holds
    # (`schema.journeys.steps_in_flight.step_on_journey`), so a mutation that counted its step
    # before claiming its key is not counted again at the step itself.
    steps_held: set[tuple[str, str]] = field(default_factory=set)

    def for_operation(self) -> Context:
        """One operation's own context on a WebSocket, whose context lasts as long as the
        socket: its own loaders and its own session check, as a request over HTTP has. Shared,
        a later query on the socket was answered from what an earlier one had read, and two
        operations at once each replaced the session the other's fields were checked against."""
        return dataclasses.replace(
            self, loaders=Loaders(), session=None, keys_asked=set(), steps_held=set()
        )

    @property
    def bearer_token(self) -> str | None:
        header = self.authorization
        if header is None and isinstance(self.connection_params, dict):
            params = self.connection_params
            header = params.get("Authorization") or params.get("authorization")
        return bearer_token(header if isinstance(header, str) else None)

    async def check_session(self) -> Session | None:
        self.session = await check_session(self.bearer_token, self.config.signing_keys)
        claims, session = self.claims, self.session
        if claims is not None and session is not None and session.clinic_timezone:
            # Read with the account: a request asking for its clinic's day (a step's price
            # list, a client's age) makes no trip of its own for it.
            self.loaders.known_zone(claims.clinic_id, session.clinic_timezone)
        return self.session

    @property
    def claims(self) -> TokenClaims | None:
        """The caller, if their token still works (as of this operation's check)."""
        return self.session.claims if self.session else None

    @property
    def actor(self) -> Actor | None:
        claims = self.claims
        return Actor(claims.account_id, claims.role) if claims else None
