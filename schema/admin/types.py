"""What the administration mutations take and answer."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.roles import Role
from domain.store.models import Clinic as ClinicRow
from schema import idempotency
from schema.errors import Conflict, NotAuthorized, NotFound, Unavailable, ValidationFailed
from schema.staff.types import StaffMember


@strawberry.type(description="A clinic using this installation.")
class Clinic:
    id: strawberry.ID = strawberry.field(
        description="The clinic's id, as `clinicId` arguments take it."
    )
    name: str = strawberry.field(description="The clinic's name, as staff and clients know it.")
    timezone: str = strawberry.field(description="IANA time zone of local times and days.")

    @classmethod
    def from_row(cls, row: ClinicRow) -> Clinic:
        return cls(id=strawberry.ID(row.id), name=row.name, timezone=row.timezone)


@strawberry.input(description="A new clinic.")
class CreateClinicInput:
    clinic_id: strawberry.ID = strawberry.field(
        description="2 to 56 of a-z, 0-9 and -: stable, it appears in every journey's record."
    )
    name: str = strawberry.field(description="1 to 200 characters.")
    timezone: str = strawberry.field(
        default="Europe/Warsaw", description="IANA time zone, e.g. Europe/Warsaw."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="A new staff account; it must choose its own password first.")
class CreateStaffAccountInput:
    clinic_id: strawberry.ID = strawberry.field(description="The clinic the account works for.")
    username: str = strawberry.field(description="3 to 100 of a-z, 0-9, '.', '_' and '-'.")
    display_name: str = strawberry.field(description="How colleagues see the account's name.")
    role: Role = strawberry.field(description="What the account may do (see `myPermissions`).")
    temporary_password: str = strawberry.field(
        description="Handed to the person once; only `changePassword` works until it is changed."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="Change an account's role, name or whether it may sign in.")
class UpdateStaffAccountInput:
    staff_id: strawberry.ID = strawberry.field(description="The account's `StaffMember.id`.")
    role: Role | None = strawberry.field(
        default=None,
        description=(
            "Omitted: unchanged. A new role hands on, in the same change, the account's open"
            " tasks written for another role (see `active`). `NotAuthorized` for one's own"
            " account away from ADMIN, and for the clinic's last active ADMIN."
        ),
    )
    active: bool | None = strawberry.field(
        default=None,
        description=(
            "false: signed out everywhere, refused at sign-in, and its open tasks handed on in"
            " the same change (calls and recheck reminders to the follow-up staff, invitations"
            " back to the supervisors, complications to the journey's approving expert if still"
            " a doctor here, else to any doctor), pushed on `tasksChanged`. true again gives"
            " none back. `NotAuthorized` for one's own account and for the clinic's last active"
            " ADMIN."
        ),
    )
    display_name: str | None = strawberry.field(default=None, description="Omitted: unchanged.")
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="Give an account a temporary password it must change.")
class ResetStaffPasswordInput:
    staff_id: strawberry.ID = strawberry.field(description="The account's `StaffMember.id`.")
    temporary_password: str = strawberry.field(description="Handed to the person once.")
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The clinic as created (or as it was, on a retry).")
class ClinicPayload:
    clinic: Clinic = strawberry.field(description="The clinic.")


@strawberry.type(description="The account after the change.")
class StaffAccountPayload:
    staff: StaffMember = strawberry.field(description="The account.")
    active: bool = strawberry.field(description="Whether the account may sign in.")
    must_change_password: bool = strawberry.field(
        description="true until the person has chosen their own password."
    )


ClinicResult = Annotated[
    ClinicPayload | NotAuthorized | ValidationFailed | Conflict,
    strawberry.union("ClinicResult", description="`createClinic`'s answer."),
]
StaffAccountResult = Annotated[
    StaffAccountPayload | NotAuthorized | ValidationFailed | NotFound | Conflict | Unavailable,
    strawberry.union(
        "StaffAccountResult",
        description="An account administration answer. `Unavailable`: a new password could not "
        "be hashed now, as the hashing threads sign-ins share already have as many waiting as "
        "they take; nothing was written, and the same request with the same key goes through "
        "after `retryAfterSeconds`.",
    ),
]
