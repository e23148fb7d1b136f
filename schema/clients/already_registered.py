"""`registerClient`'s answer when the clinic already has the client: who, and what matched."""

from __future__ import annotations

import strawberry

from domain.audit import CLIENT_READ
from domain.client_file.matching import MatchedOn
from domain.errors import ErrorCode
from schema.audit.collector import note_access
from schema.errors import UserError
from schema.ids import encode_id

ClientMatchedOn = strawberry.enum(
    MatchedOn,
    name="ClientMatchedOn",
    description="What a registration has in common with a client the clinic already has.",
)


@strawberry.type(
    description="The clinic already has a client with this phone, e-mail, or name and birth "
    "date: nothing was written. Open the existing client's file; if this is a different person "
    "(twins sharing a phone), send the registration again with `registerAnyway: true`."
)
class ClientAlreadyRegistered(UserError):
    existing_client_ids: list[strawberry.ID] = strawberry.field(
        description="The clients found, oldest registration first (at most 50 keys are read)."
    )
    matched_on: list[ClientMatchedOn] = strawberry.field(  # type: ignore[valid-type]
        description="What matched, over all of them."
    )


def already_registered(found: dict[str, set[MatchedOn]]) -> ClientAlreadyRegistered:
    """The answer naming the clients found. Naming one tells whose phone, e-mail or name this
    is: a read of each client named, in their audit trail as `clients(search)` showing them
    would be (else the desk could look clients up by e-mail, unrecorded)."""
    for client_id in found:
        note_access(client_id, CLIENT_READ)
    matched = set().union(*found.values())
    return ClientAlreadyRegistered(
        code=ErrorCode.ALREADY_REGISTERED,
        message="the clinic already has this client: open their file, or register anyway "
        "(registerAnyway) for a different person",
        existing_client_ids=[strawberry.ID(encode_id("Client", c)) for c in found],
        matched_on=[m for m in MatchedOn if m in matched],
    )
