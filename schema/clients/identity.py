"""`amendClientIdentity`: a new name, phone or e-mail as an amendment of the identity page.

The registered page is never changed (the `client` table refuses edits); `Client.fullName`,
`phone` and `email` show the latest amendment, `Client.identityHistory` every version.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.client_file.export import MAX_IDENTITY_VERSIONS
from domain.client_file.identity import Identity, changes_nothing, corrected_identity
from domain.client_file.matching import match_keys
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.store import records
from domain.store.client_file import ClientIdentityAmendment
from domain.store.client_file_writes import amend_identity
from domain.store.client_matches import record_match_keys
from domain.store.models import Client as ClientRow
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.file_access import country_of, visible_client
from schema.clients.file_inputs import AmendClientIdentityInput
from schema.clients.file_mutations import invalid
from schema.clients.mutations import ClientPayload
from schema.clients.types import Client
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    ValidationFailed,
    not_authorized,
    not_found,
)

AmendClientIdentityResult = Annotated[
    ClientPayload | NotAuthorized | ValidationFailed | NotFound | Conflict,
    strawberry.union("AmendClientIdentityResult", description="The client as amended, or why not."),
]


async def _current(info: Info[Context, None], client: ClientRow) -> Identity:
    amended = await info.context.loaders.identity.load(client.id)
    source = amended or client
    return Identity(source.full_name, source.phone, source.email)


_FULL = (
    f"the identity has been amended {MAX_IDENTITY_VERSIONS} times, the most a client's file "
    "takes (the client's own copy of the file carries every version)"
)


async def amend_client_identity(
    info: Info[Context, None], input: AmendClientIdentityInput
) -> AmendClientIdentityResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    client = await visible_client(info, input.client_id)
    if client is None:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("client")
        )
    current = await _current(info, client)
    after = corrected_identity(
        current,
        full_name=input.full_name,
        phone=input.phone,
        email=input.email,
        reason=input.reason,
        clear_email=input.clear_email,
    )
    problems = after if isinstance(after, list) else []
    bad_key = records.key_problem(input.idempotency_key)
    if problems or bad_key or isinstance(after, list):
        return invalid([*problems, *([bad_key] if bad_key else [])])
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    if idempotency.answered(ledger) is None:
        amendment_id = idempotency.derived_id(ledger, "identity") or str(uuid.uuid4())
        # An attempt that wrote the amendment but not the answer made the change itself.
        unchanged = changes_nothing(current, after)
        written = await ClientIdentityAmendment.exists(id=amendment_id)
        if unchanged and not written:
            return invalid([unchanged])
        # The client's own copy of the file carries every version, up to the export's bound,
        # counted under the client's lock so that requests racing at the bound cannot pass it.
        given = {
            "full_name": (input.full_name, after.full_name),
            "phone": (input.phone, after.phone),
            "email": (input.email, after.email),
        }
        changed = {name: value for name, (sent, value) in given.items() if sent is not None}
        if input.clear_email:
            changed["email"] = None

        country = await country_of(info, client.clinic_id)

        async def findable(amendment: ClientIdentityAmendment) -> None:
            # The corrected name, phone or e-mail finds the client when registered again:
            # written with the amendment, so there is never one without the other.
            page = (amendment.full_name, client.birth_date, amendment.phone, amendment.email)
            await record_match_keys(client.clinic_id, client.id, match_keys(*page, country))

        amendment = await amend_identity(
            amendment_id,
            client.id,
            changed,
            reason=input.reason.strip(),
            author=(claims.account_id, claims.role.value),
            bound=MAX_IDENTITY_VERSIONS,
            along_with=findable,
        )
        if amendment is None:
            return invalid([FieldProblem("clientId", _FULL, Code.TOO_MANY)])
        note_write(info, client.id)
        await idempotency.settle(claims.account_id, input, amendment.id)
    # Read afresh: `_current` loaded the identity before the claim, and an attempt of this
    # request racing this one may have amended it since (a retry answers its amendment).
    info.context.loaders.identity.clear(client.id)
    return ClientPayload(client=Client.from_row(client))
