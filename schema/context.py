"""The per-request context: who is asking, the journey gateway, and the request's DataLoaders."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from domain.auth import TokenClaims, read_token
from domain.journey.facts import Actor
from schema.loaders import Loaders
from workflows.client import JourneyGateway


@dataclass(frozen=True)
class ApiConfig:
    """What the schema needs from the server's settings."""

    secret_key: str
    token_ttl_seconds: int
    follow_up_offsets: tuple[int, ...] | None = None


@dataclass
class Context:
    gateway: JourneyGateway
    config: ApiConfig
    feed: Any  # schema.feed.JourneyFeed; typed loosely to keep this module import-light
    authorization: str | None = None
    loaders: Loaders = field(default_factory=Loaders)
    request: Any = None
    response: Any = None
    # The HTTP request's id (a WebSocket's: its upgrade request), for the audit trail.
    request_id: str | None = None
    # Set by Strawberry from a WebSocket's connection_init payload (browsers cannot set headers).
    connection_params: dict[str, Any] | None = None

    @property
    def claims(self) -> TokenClaims | None:
        header = self.authorization
        if header is None and isinstance(self.connection_params, dict):
            params = self.connection_params
            header = params.get("Authorization") or params.get("authorization")
        return claims_from_header(
            header if isinstance(header, str) else None, self.config.secret_key
        )

    @property
    def actor(self) -> Actor | None:
        return Actor(self.claims.account_id, self.claims.role) if self.claims else None


def claims_from_header(value: str | None, secret: str) -> TokenClaims | None:
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return read_token(token.strip(), secret, int(time.time()))
