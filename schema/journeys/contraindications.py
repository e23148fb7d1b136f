"""The contraindication gate at the start of treatment, and the expert's override.

The journey's workflow holds no clinical data, so the check runs here, just before the update
is sent: the final plan's catalogue items against the client's record as it stands. A hit
answers `ContraindicationFound` and nothing is written. The journey's own expert may set aside
one reason at a time with a justification; the override is a journey event (its record holds
the reason and the justification), so it shows in the journey's history and is never edited.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.facts import ActionDetails
from domain.journey.table import Action
from domain.store.contraindication_reads import OVERRIDE_RECORD
from domain.store.models import Journey as JourneyRow
from schema import idempotency
from schema.catalog.types import ContraindicationFound
from schema.context import Context
from schema.errors import from_domain, not_authorized
from schema.journeys.actions import (
    BeforeUpdate,
    JourneyResult,
    load_visible_journey,
    run_action,
    step_refusal,
)
from schema.journeys.contraindication_check import found_reasons, may_start, standing_reasons
from schema.text import check_text

MAX_KEY = 300
MAX_JUSTIFICATION = 2000


def treatment_gate(info: Info[Context, None]) -> BeforeUpdate:
    async def gate(row: JourneyRow) -> ContraindicationFound | None:
        actor = info.context.actor
        if actor is None or not may_start(row, actor):
            return None
        reasons = await standing_reasons(info, row)
        return ContraindicationFound.from_domain(reasons) if reasons else None

    return gate


@strawberry.input(description="The treating expert sets aside one contraindication.")
class OverrideContraindicationInput:
    journey_id: strawberry.ID = strawberry.field(description="The journey.")
    reason_key: str = strawberry.field(
        description="The `key` of one reason `ContraindicationFound` named."
    )
    justification: str = strawberry.field(
        description="Why treatment may go ahead despite it (up to 2000 characters)."
    )
    idempotency_key: str | None = idempotency.key_field()


async def override_contraindication(
    info: Info[Context, None], input: OverrideContraindicationInput
) -> JourneyResult:
    if info.context.actor is None:
        return not_authorized()
    problems: list[FieldProblem] = check_text(
        "justification", input.justification, required=True, limit=MAX_JUSTIFICATION
    )
    problems += check_text("reasonKey", input.reason_key, required=True, limit=MAX_KEY)
    row = await load_visible_journey(info, input.journey_id)
    reason = None
    if row is not None and not problems:
        found = {r.key: r for r in await found_reasons(info, row)}
        reason = found.get(input.reason_key)
        if reason is None:
            problems.append(
                FieldProblem(
                    "reasonKey", "no such contraindication for this plan", Code.UNKNOWN_VALUE
                )
            )
    # A retry of an override that went through is answered, though the file or the catalogue
    # changed since (the reason it set aside is gone).
    refusal = from_domain(DomainValidationFailed(problems)) if problems else None
    refused = await step_refusal(info, input, refusal)
    if refused is not None:
        return refused
    body = None  # no journey visible, or a retry answered: `run_action` answers either
    if reason is not None:
        body = {
            "reason_key": reason.key,
            "code": reason.code.value,
            "item_id": reason.item_id,
            "item_name": reason.item_name,
            "detail": reason.detail,
            "justification": input.justification.strip(),
        }
    return await run_action(
        info,
        input,
        Action.OVERRIDE_CONTRAINDICATION,
        ActionDetails(),
        record_kind=OVERRIDE_RECORD,
        record_body=body,
    )
