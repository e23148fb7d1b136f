"""Documents and calls of the complaint register's tests."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from domain.store.complaints import Complaint, ComplaintEntry
from schema.ids import decode_id
from tests.api.flow import JourneyDriver, new_key

COMPLAINT = (
    "id clientId journeyId channel category description receivedAt firstAnswerDueAt status"
    " overdue recordedByRole answers { kind outcome note recordedByRole recordedAt }"
)
RESULT = f"""
    __typename
    ... on ComplaintPayload {{ complaint {{ {COMPLAINT} }} }}
    ... on ValidationFailed {{ code problems {{ field message }} }}
    ... on UserError {{ code message }}
"""
MUTATIONS = {
    name: f"""
mutation M($input: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: $input) {{ {RESULT} }} }}
"""
    for name in ("recordComplaint", "respondToComplaint", "resolveComplaint")
}
OPEN = f"""
query Open($first: Int!, $after: String) {{
  openComplaints(first: $first, after: $after) {{
    __typename
    ... on ComplaintConnection {{
      edges {{ cursor node {{ {COMPLAINT} }} }} pageInfo {{ hasNextPage hasPreviousPage endCursor }}
    }}
    ... on UserError {{ code message }}
  }}
}}
"""
HERS = f"""
query Hers($id: ID!) {{
  client(id: $id) {{
    ... on Client {{
      complaints(first: 10) {{
        __typename ... on ComplaintConnection {{ edges {{ node {{ {COMPLAINT} }} }} }}
      }}
    }}
  }}
}}
"""


def complaint(client_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "clientId": client_id,
        "channel": "PHONE",
        "category": "CONSULTANT",
        "description": "her consultant did not listen and she wants another",
        "idempotencyKey": new_key(),
        **extra,
    }


async def call(driver: JourneyDriver, mutation: str, role: Role, **input: Any) -> dict[str, Any]:
    data = await driver.api.run(MUTATIONS[mutation], driver.token(role), input=input)
    return data[mutation]  # type: ignore[no-any-return]


async def taken(driver: JourneyDriver, role: Role, **input: Any) -> dict[str, Any]:
    result = await call(driver, "recordComplaint", role, **input)
    assert result["__typename"] == "ComplaintPayload", result
    return result["complaint"]  # type: ignore[no-any-return]


async def answered(
    driver: JourneyDriver, mutation: str, complaint_id: str, **input: Any
) -> dict[str, Any]:
    given = {"complaintId": complaint_id, "note": "called her back", "idempotencyKey": new_key()}
    result = await call(driver, mutation, Role.SUPERVISOR, **{**given, **input})
    assert result["__typename"] == "ComplaintPayload", result
    return result["complaint"]  # type: ignore[no-any-return]


async def rows(client_id: str) -> tuple[int, int]:
    """(complaints, their entries) stored for the client."""
    raw = decode_id(client_id, "Client")
    ids = await Complaint.filter(client_id=raw).values_list("id", flat=True)
    return len(ids), await ComplaintEntry.filter(complaint_id__in=list(ids)).count()
