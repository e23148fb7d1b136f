"""Per-clinic stage SLAs: what the cockpit counts as stuck, set by the clinic's supervisor.

Changes apply to journeys started afterwards: a running journey keeps the SLAs it started with,
so its stuck flag never changes meaning under it.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblemCode as Code
from domain.journey.sla import DEFAULT_STAGE_SLAS, sla_key
from domain.journey.stages import Stage, VisitCategory
from domain.store import records
from domain.store.models import Clinic
from schema import idempotency
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    ValidationFailed,
    from_problem,
    invalid,
    not_authorized,
    not_found,
)

MAX_SLA_SECONDS = 400 * 24 * 3600


@strawberry.type(description="How long a journey may stay in a stage before it counts as stuck.")
class StageSla:
    stage: Stage
    visit_category: VisitCategory | None
    seconds: int
    is_default: bool


@strawberry.input
class SetStageSlaInput:
    stage: Stage
    visit_category: VisitCategory | None = strawberry.field(
        default=None, description="Only for this visit category; omitted: every category."
    )
    seconds: int | None = strawberry.field(default=None, description="Omitted: the default again.")
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type
class StageSlasPayload:
    slas: list[StageSla]


StageSlasResult = Annotated[
    StageSlasPayload | NotAuthorized | NotFound | ValidationFailed | Conflict,
    strawberry.union("StageSlasResult"),
]


def _listing(overrides: dict[str, int]) -> list[StageSla]:
    slas = []
    for stage, default in DEFAULT_STAGE_SLAS.items():
        seconds = overrides.get(sla_key(stage), default)
        slas.append(
            StageSla(
                stage=stage,
                visit_category=None,
                seconds=seconds,
                is_default=sla_key(stage) not in overrides,
            )
        )
        for category in VisitCategory:
            key = sla_key(stage, category)
            if key in overrides:
                slas.append(
                    StageSla(
                        stage=stage,
                        visit_category=category,
                        seconds=overrides[key],
                        is_default=False,
                    )
                )
    return slas


async def _own_clinic(info: Info[Context, None]) -> Clinic | None:
    claims = info.context.claims
    return await Clinic.get_or_none(id=claims.clinic_id) if claims else None


async def stage_slas(info: Info[Context, None]) -> StageSlasResult:
    clinic = await _own_clinic(info)
    if clinic is None:
        return not_authorized()
    return StageSlasPayload(slas=_listing(clinic.stage_slas or {}))


async def set_stage_sla(info: Info[Context, None], input: SetStageSlaInput) -> StageSlasResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    clinic = await _own_clinic(info)
    if clinic is None:
        return not_found("clinic")
    if input.stage not in DEFAULT_STAGE_SLAS:
        return invalid(
            "stage", "this stage has no SLA (follow-ups have their own rules)", Code.UNKNOWN_VALUE
        )
    if input.seconds is not None and not 60 <= input.seconds <= MAX_SLA_SECONDS:
        return invalid("seconds", f"from 60 to {MAX_SLA_SECONDS}", Code.OUT_OF_RANGE)
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return from_problem(bad_key)
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    if idempotency.answered(ledger) is not None:
        # Done already: the SLAs as they are now (a later change by someone else included).
        return StageSlasPayload(slas=_listing(clinic.stage_slas or {}))
    key = sla_key(input.stage, input.visit_category)
    overrides: dict[str, int] = {}
    wrote: list[bool] = []

    async def replace() -> None:
        # The map read again under the clinic's row lock: two supervisors setting two stages
        # at once each keep their change.
        locked = await Clinic.filter(id=clinic.id).select_for_update().get()
        overrides.update(locked.stage_slas or {})
        if input.seconds is None:
            overrides.pop(key, None)
        else:
            overrides[key] = input.seconds
        await Clinic.filter(id=clinic.id).update(stage_slas=overrides)
        wrote.append(True)

    await idempotency.replace_and_settle(claims.account_id, input, clinic.id, replace)
    # An attempt that found its key settled by another attempt of its request wrote nothing:
    # the SLAs as they stand then (the change its request made included).
    written = overrides if wrote else (await Clinic.get(id=clinic.id)).stage_slas or {}
    return StageSlasPayload(slas=_listing(written))
