"""`recordsCustodian` and `setRecordsCustodian`: the member of staff who keeps the clinic's
client files (seed 002: "客户档案应指定专人管理"; DOMAIN.md: "a named custodian").

A supervisor names them, as supervisors keep the clinic's other settings (`setAftercarePolicy`):
an administrator works across clinics and is no member of one. Every appointment is kept
(`records_custodian_appointment`, append-only): the newest stands, and who kept the records when
stays readable, as each disclosure names the custodian of its day. The custodian is an active
account of the clinic; an account deactivated since stays named until another is, and the
answer says it is no longer active.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.roles import Role
from domain.store import records
from domain.store.disclosures import RecordsCustodianAppointment as AppointmentRow
from domain.store.disclosures import current_custodian
from domain.store.models import StaffAccount
from domain.store.records import KeyClaim
from schema import idempotency
from schema.audit.collector import note_access
from schema.clients.file_mutations import invalid
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    ValidationFailed,
    not_authorized,
    not_found,
)
from schema.ids import decode_id
from schema.staff.types import StaffMember

APPOINTMENT_KIND = "custodian"  # the kind of id the appointment derives from its key's claim


@strawberry.type(description="The member of staff who keeps the clinic's client files.")
class RecordsCustodian:
    staff: StaffMember = strawberry.field(description="Their account.")
    active: bool = strawberry.field(
        description="Whether the account still works: false, name another custodian."
    )
    appointed_at: datetime = strawberry.field(description="When they were named, in UTC.")
    appointed_by_id: str = strawberry.field(description="The supervisor who named them.")


@strawberry.type(description="Your clinic's records custodian.")
class RecordsCustodianPayload:
    custodian: RecordsCustodian | None = strawberry.field(
        description="The custodian named last; null: none was ever named (or the one named is "
        "no account of your clinic)."
    )


@strawberry.input(description="Name the clinic's records custodian.")
class SetRecordsCustodianInput:
    staff_id: strawberry.ID = strawberry.field(
        description="An active account of your clinic (a `StaffMember` id)."
    )
    idempotency_key: str | None = idempotency.key_field()


RecordsCustodianResult = Annotated[
    RecordsCustodianPayload | NotAuthorized,
    strawberry.union("RecordsCustodianResult"),
]
SetRecordsCustodianResult = Annotated[
    RecordsCustodianPayload | NotAuthorized | ValidationFailed | NotFound | Conflict,
    strawberry.union("SetRecordsCustodianResult"),
]


async def _payload(clinic_id: str) -> RecordsCustodianPayload:
    appointment = await current_custodian(clinic_id)
    if appointment is None:
        return RecordsCustodianPayload(custodian=None)
    # Of the clinic only: an appointment naming another clinic's account, or one gone, names
    # nobody (it was that clinic's colleague, or a fault).
    account = await StaffAccount.get_or_none(id=appointment.staff_id, clinic_id=clinic_id)
    if account is None:
        return RecordsCustodianPayload(custodian=None)
    return RecordsCustodianPayload(
        custodian=RecordsCustodian(
            staff=StaffMember.from_row(account),
            active=account.active,
            appointed_at=appointment.appointed_at,
            appointed_by_id=appointment.appointed_by,
        )
    )


async def records_custodian(info: Info[Context, None]) -> RecordsCustodianResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    return await _payload(claims.clinic_id)


async def set_records_custodian(
    info: Info[Context, None], input: SetRecordsCustodianInput
) -> SetRecordsCustodianResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return invalid([bad_key])
    raw = decode_id(input.staff_id, "StaffMember")
    account = await StaffAccount.get_or_none(id=raw, clinic_id=claims.clinic_id) if raw else None
    if account is None:
        refusal = not_found("staff member")
        return await idempotency.refusal_or_conflict(info, claims.account_id, input, refusal)
    problem = _unfit(account)
    if problem is not None:
        # A retry whose first attempt named them (its answer lost) is answered as named.
        refused = await idempotency.refusal_answer(
            info, claims.account_id, input, invalid([problem]), went_through=_named
        )
        if refused is not None:
            return refused
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    if idempotency.answered(ledger) is None:
        appointment_id = idempotency.derived_id(ledger, APPOINTMENT_KIND) or str(uuid.uuid4())
        # Another attempt of this very request may have written it first.
        with contextlib.suppress(IntegrityError):
            await AppointmentRow.create(
                id=appointment_id,
                clinic_id=claims.clinic_id,
                staff_id=account.id,
                appointed_by=claims.account_id,
                appointed_by_role=claims.role.value,
                appointed_at=datetime.now(UTC),
            )
        note_access(f"clinic:{claims.clinic_id}", info.field_name)
        await idempotency.settle(claims.account_id, input, appointment_id)
    return await _payload(claims.clinic_id)


async def _named(earlier: KeyClaim) -> bool:
    """Whether the request's first attempt wrote its appointment (its id comes from the claim)."""
    appointment_id = idempotency.derived_id(earlier, APPOINTMENT_KIND)
    return appointment_id is not None and await AppointmentRow.exists(id=appointment_id)


def _unfit(account: StaffAccount) -> FieldProblem | None:
    if not account.active:
        return FieldProblem(
            "staffId", "the account is deactivated: name an active one", Code.NOT_ALLOWED_NOW
        )
    if account.role == Role.ADMIN.value:
        return FieldProblem(
            "staffId", "an administrator is no member of the clinic's staff", Code.UNKNOWN_VALUE
        )
    return None
