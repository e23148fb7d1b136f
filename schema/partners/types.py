"""A partner as the supervisor sees it: the registration in force and the seed-003 deadlines."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.partners.deadlines import Milestone, missing_materials, schedule
from domain.store.partner_reads import first_reports, lapses_of
from domain.store.partners import PartnerRegistration
from schema.ids import encode_id

PartnerMilestone = strawberry.enum(Milestone, name="PartnerMilestone")

# Field names of the registration materials, as the input names them.
_MATERIAL_FIELDS = {
    "agreement_reference": "agreementReference",
    "bank_details": "bankDetails",
    "premises_photo_ids": "premisesPhotoIds",
}


@strawberry.type(description="A deadline of seed 003 and whether the partner missed it.")
class PartnerDeadline:
    milestone: PartnerMilestone = strawberry.field(description="What is due.")  # type: ignore[valid-type]
    due_at: datetime = strawberry.field(description="When it falls due.")
    lapsed: bool = strawberry.field(
        description="True once the partner's clock found it missed at its deadline."
    )


@strawberry.type(description="A partner salon, as registered in its latest version.")
class Partner:
    id: strawberry.ID = strawberry.field(description="The partner's global id.")
    name: str = strawberry.field(description="The salon's name.")
    version: int = strawberry.field(description="The registration version in force (1, 2, ...).")
    agreement_reference: str | None = strawberry.field(
        description="The signed cooperation agreement's reference (合作协议)."
    )
    bank_details: str | None = strawberry.field(
        description="Where the partner's share is paid (店家银行账号, 开户信息)."
    )
    premises_photo_ids: list[str] = strawberry.field(
        description="Ids of the photos of the premises (门头照片)."
    )
    registered_at: datetime = strawberry.field(description="When this version was recorded.")
    reported_at: datetime = strawberry.field(
        description="When the partner was first reported: the deadlines count from here."
    )
    missing_materials: list[str] = strawberry.field(
        description="Input fields still needed for a valid registration; empty when complete."
    )
    deadlines: list[PartnerDeadline] = strawberry.field(
        description="Registration (1 month + 5 days), first consultation (3 months), first "
        "deal (6 months), in the order they fall due."
    )

    @classmethod
    async def from_row(cls, row: PartnerRegistration) -> Partner:
        (partner,) = await cls.from_rows([row])
        return partner

    @classmethod
    async def from_rows(cls, rows: list[PartnerRegistration]) -> list[Partner]:
        """Partners from their versions in force, in a constant number of queries."""
        ids = [r.partner_id for r in rows]
        reported, missed = await first_reports(ids), await lapses_of(ids)
        return [
            cls._of(r, reported.get(r.partner_id, r.registered_at), missed[r.partner_id])
            for r in rows
        ]

    @classmethod
    def _of(cls, row: PartnerRegistration, reported: datetime, missed: set[str]) -> Partner:
        missing = missing_materials(
            row.agreement_reference, row.bank_details, row.premises_photo_ids
        )
        return cls(
            id=strawberry.ID(encode_id("Partner", row.partner_id)),
            name=row.name,
            version=row.version,
            agreement_reference=row.agreement_reference,
            bank_details=row.bank_details,
            premises_photo_ids=list(row.premises_photo_ids),
            registered_at=row.registered_at,
            reported_at=reported,
            missing_materials=[_MATERIAL_FIELDS[m] for m in missing],
            deadlines=[
                PartnerDeadline(milestone=m, due_at=due, lapsed=m.value in missed)
                for m, due in schedule(reported)
            ],
        )
