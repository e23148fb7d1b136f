"""Registering a client at reception: identity, contact and consent to keep their data."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.client_file.data_consent import consent_body, guardian_problems
from domain.client_file.kinds import EntryKind
from domain.client_file.matching import MatchedOn, match_keys
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.store import records
from domain.store.client_file import ClientEntry
from domain.store.client_matches import clients_matching, keys_held, record_match_keys
from domain.store.models import Client as ClientRow
from domain.store.records import KeyClaim
from domain.text import one_line
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.already_registered import ClientAlreadyRegistered, already_registered
from schema.clients.file_access import clinic_today, country_of
from schema.clients.types import Client
from schema.context import Context
from schema.errors import Conflict, NotAuthorized, ValidationFailed, from_domain, not_authorized
from schema.text import check_text


@strawberry.input
class RegisterClientInput:
    full_name: str
    birth_date: date
    phone: str
    data_consent: bool = strawberry.field(
        description="The client agreed to their data being kept: for a client under 18, her "
        "guardian did (`guardianName`, `guardianRelation`)."
    )
    guardian_name: str | None = strawberry.field(
        default=None,
        description="The guardian who gave the consent: required for a client under 18 on the "
        "clinic's calendar (`ValidationFailed` on `guardianName` otherwise), allowed for an "
        "adult under guardianship. Shown as `Client.dataConsentGuardian`.",
    )
    guardian_relation: str | None = strawberry.field(
        default=None,
        description="How the guardian is related to the client (mother, legal guardian...): "
        "required with a guardian (`ValidationFailed` on `guardianRelation` otherwise).",
    )
    email: str | None = None
    occupation: str | None = None
    register_anyway: bool = False
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type
class ClientPayload:
    client: Client


RegisterClientResult = Annotated[
    ClientPayload | NotAuthorized | ValidationFailed | Conflict | ClientAlreadyRegistered,
    strawberry.union("RegisterClientResult"),
]


def _problems(input: RegisterClientInput, today: date) -> list[FieldProblem]:
    problems = check_text("fullName", input.full_name, required=True, limit=200)
    problems += check_text("phone", input.phone, required=True, limit=40)
    problems += check_text("email", input.email, required=False, limit=200)
    problems += check_text("occupation", input.occupation, required=False, limit=200)
    problems += check_text("guardianName", input.guardian_name, required=False, limit=200)
    problems += check_text("guardianRelation", input.guardian_relation, required=False, limit=100)
    digits = [c for c in input.phone if c.isdigit()]
    if input.phone.strip() and not 6 <= len(digits) <= 15:
        problems.append(FieldProblem("phone", "6 to 15 digits", Code.BAD_FORMAT))
    if input.email and "@" not in input.email:
        problems.append(FieldProblem("email", "not an e-mail address", Code.BAD_FORMAT))
    if not date(1900, 1, 1) <= input.birth_date <= today:
        problems.append(FieldProblem("birthDate", "not a plausible birth date", Code.OUT_OF_RANGE))
    else:
        problems += guardian_problems(
            input.birth_date, today, input.guardian_name, input.guardian_relation
        )
    if not input.data_consent:
        problems.append(
            FieldProblem(
                "dataConsent", "the client must agree to their data being kept", Code.REQUIRED
            )
        )
    return problems


async def register_client(
    info: Info[Context, None], input: RegisterClientInput
) -> RegisterClientResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    bad_key = records.key_problem(input.idempotency_key)
    # The clinic's today: a client born on its today is not in the future where UTC's lags.
    problems = _problems(input, await clinic_today(info, claims.clinic_id))
    if bad_key or problems:
        return from_domain(DomainValidationFailed([*problems, *([bad_key] if bad_key else [])]))  # type: ignore[return-value]
    country = await country_of(info, claims.clinic_id)
    keys = match_keys(input.full_name, input.birth_date, input.phone, input.email, country)
    # Asked first without holding the keys: a client registered before is answered without a
    # write transaction (on SQLite, without the database's one write lock).
    refused = await _refusal(info, claims.clinic_id, claims.account_id, input, keys)
    if refused is not None:
        return refused
    # The check and the write hold the keys together, and the client, its keys and the key's
    # claim and answer are written in one transaction: two desks registering one new person
    # at the same moment make one client (the second is told of the first's), and a process
    # lost half-way leaves nothing of the client, so it cannot be a client never matched.
    async with keys_held(claims.clinic_id, keys):
        refused = await _refusal(info, claims.clinic_id, claims.account_id, input, keys)
        if refused is not None:
            return refused
        ledger = await idempotency.claim(info, claims.account_id, input)
        if idempotency.reused(ledger):
            return idempotency.conflict()
        first = idempotency.answered(ledger)
        if first is not None:
            return ClientPayload(client=Client.from_row(await ClientRow.get(id=first)))
        # Every attempt with one key names one client; attempts of one request hold the same
        # keys, so they come one after the other and a later one finds the row.
        client_id = idempotency.derived_id(ledger, "client") or str(uuid.uuid4())
        row = await ClientRow.get_or_none(id=client_id)
        if row is None:
            row = await ClientRow.create(
                id=client_id,
                clinic_id=claims.clinic_id,
                full_name=one_line(input.full_name),  # as a correction keeps it
                birth_date=input.birth_date,
                phone=input.phone.strip(),
                email=input.email,
                occupation=input.occupation,
                data_consent_at=datetime.now(UTC),
                registered_by=claims.account_id,
            )
            guardian = consent_body(input.guardian_name, input.guardian_relation)
            if guardian is not None:
                await ClientEntry.create(
                    id=idempotency.derived_id(ledger, "data_consent") or str(uuid.uuid4()),
                    clinic_id=claims.clinic_id,
                    client_id=client_id,
                    kind=EntryKind.DATA_CONSENT.value,
                    body=guardian,
                    author_id=claims.account_id,
                    author_role=claims.role.value,
                    recorded_at=row.data_consent_at,
                )
        await record_match_keys(claims.clinic_id, str(row.id), keys)
        await idempotency.settle(claims.account_id, input, str(row.id))
    note_write(info, str(row.id))
    return ClientPayload(client=Client.from_row(row))


async def _refusal(
    info: Info[Context, None],
    clinic_id: str,
    account_id: str,
    input: RegisterClientInput,
    keys: dict[str, MatchedOn],
) -> ClientAlreadyRegistered | Conflict | None:
    """`ClientAlreadyRegistered` when the clinic has a client with one of the keys. Asked before
    the key is claimed, so that the same request sent again with `registerAnyway` may carry the
    same key. A retry of a registration made is answered as the first time: the client it made
    (or an older twin) is no reason to refuse it now; a key used for another request is a
    `Conflict`."""
    if input.register_anyway:
        return None
    found = await clients_matching(clinic_id, keys)
    return await idempotency.refusal_answer(
        info,
        account_id,
        input,
        already_registered(found) if found else None,
        went_through=_registered,
    )


async def _registered(earlier: KeyClaim) -> bool:
    """Whether the request's first attempt made its client (its id comes from the claim)."""
    client_id = idempotency.derived_id(earlier, "client")
    return client_id is not None and await ClientRow.exists(id=client_id)
