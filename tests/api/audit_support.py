"""What the audit-trail tests share: documents, a client call with its own request id, and the
audit entries as stored."""

from __future__ import annotations

import uuid
from typing import Any

from gql import Client
from gql.graphql_request import GraphQLRequest
from gql.transport.aiohttp import AIOHTTPTransport

from domain.roles import Role
from domain.store.audit_models import AuditEntry
from domain.store.models import StaffAccount
from schema.ids import decode_id
from tests.api.flow import JourneyDriver
from tests.api.harness import REQUEST_TIMEOUT, Api

CLIENT = """
query Client($id: ID!) {
  client(id: $id) {
    __typename
    ... on Client { id fullName birthDate }
    ... on UserError { code message }
  }
}
"""

AUDIT_LOG = """
query AuditLog($clientId: ID!, $first: Int, $after: String) {
  auditLog(clientId: $clientId, first: $first, after: $after) {
    __typename
    ... on AuditLogConnection {
      edges {
        cursor
        node {
          id seq at actorId actorRole clientId action requestId prevHash hash
          actor { username }
        }
      }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""

# (client, what, actor, role, clinic, request id): an entry as the trail must have it.
Seen = tuple[str, str, str, str, str, str | None]


def new_request_id() -> str:
    return f"audit-test-{uuid.uuid4().hex}"


async def run_traced(
    api: Api, document: str, token: str, request_id: str, **variables: Any
) -> dict[str, Any]:
    """Runs a document as a front end would, sending its own `X-Request-Id`."""
    headers = {"Authorization": f"Bearer {token}", "X-Request-Id": request_id}
    transport = AIOHTTPTransport(url=api.url, headers=headers, timeout=REQUEST_TIMEOUT)
    async with Client(transport=transport, execute_timeout=REQUEST_TIMEOUT) as session:
        result: dict[str, Any] = await session.execute(
            GraphQLRequest(document, variable_values=variables)
        )
        return result


async def clinic_of(driver: JourneyDriver) -> str:
    account = await StaffAccount.get(id=driver.staff[Role.SUPERVISOR].account_id)
    return account.clinic_id


def raw_client(global_id: str) -> str:
    raw = decode_id(global_id, "Client")
    assert raw is not None, global_id
    return raw


async def entries_of_request(request_id: str) -> list[Seen]:
    """The request's entries in chain order."""
    rows = await AuditEntry.filter(request_id=request_id).order_by("clinic_id", "seq")
    return [
        (r.client_id, r.action, r.actor_id, r.actor_role, r.clinic_id, r.request_id) for r in rows
    ]


def seen(
    driver: JourneyDriver, role: Role, clinic: str, request_id: str, *pairs: tuple[str, str]
) -> list[Seen]:
    """The entries `role` leaves in `clinic` for each (raw client id, what)."""
    actor = driver.staff[role].account_id
    return [(client, what, actor, role.value, clinic, request_id) for client, what in pairs]
