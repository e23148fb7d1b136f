"""The clinic's rotation policy: the handbooks differ (seed 004), so each clinic picks its own
reading. Every later decision names the policy version that made it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.triage.bounds import MAX_POLICY_ITEMS, codes_problem, item_codes
from domain.triage.commands import OverrideCommand, OverrideKind
from domain.triage.policy import DEFAULT_POLICY, CompanionRule, RotationPolicy
from schema import idempotency
from schema.context import Context
from schema.errors import from_problem, invalid, not_authorized
from schema.text import check_text
from schema.triage.desk import MAX_DESK_NOTE, TriageResult, desk_change, refused
from schema.triage.item_catalog import unknown_code

Companions = strawberry.enum(CompanionRule, name="CompanionRule")


@strawberry.input(description="Omitted fields take the defaults (DOMAIN.md's reading of seed 004).")
class RotationPolicyInput:
    name: str
    reason: str
    busy_makeup: bool = DEFAULT_POLICY.busy_makeup
    scope_makeup: bool = DEFAULT_POLICY.scope_makeup
    absent_makeup: bool = DEFAULT_POLICY.absent_makeup
    companions: CompanionRule = DEFAULT_POLICY.companions
    designated_uses_turn: bool = DEFAULT_POLICY.designated_uses_turn
    stand_in_for_absent_owner: bool = DEFAULT_POLICY.stand_in_for_absent_owner
    acceptance_minutes: int = DEFAULT_POLICY.acceptance_minutes
    offered_items: list[str] | None = strawberry.field(
        default=None,
        description="Items the clinic offers (at most 500 codes, each one word of at most 64 "
        "characters and a code of its price list); others are invalid consultations.",
    )
    key_items: list[str] | None = strawberry.field(
        default=None,
        description="Key items (at most 500 codes, each one word of at most 64 characters and a "
        "code of the clinic's price list): first visits go to the month's priority staff.",
    )
    major_items: list[str] | None = strawberry.field(
        default=None,
        description="Items that decide for a client who names several (at most 500 codes of the "
        "clinic's price list, as keyItems), before the surgical ones; omitted: "
        + ", ".join(DEFAULT_POLICY.major_items)
        + ".",
    )
    surgical_items: list[str] | None = strawberry.field(
        default=None,
        description="Surgical items, which decide over non-surgical ones when no major item is "
        "named (at most 500 codes of the clinic's price list, as keyItems); omitted: "
        + ", ".join(DEFAULT_POLICY.surgical_items)
        + ".",
    )
    idempotency_key: str | None = idempotency.key_field()


async def set_rotation_policy(
    info: Info[Context, None], input: RotationPolicyInput
) -> TriageResult:
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    problems = check_text("name", input.name, required=True, limit=60)
    problems += check_text("reason", input.reason, required=True, limit=MAX_DESK_NOTE)
    if problems:
        return from_problem(problems[0])
    if not 1 <= input.acceptance_minutes <= 120:
        return invalid("acceptanceMinutes", "from 1 to 120", Code.OUT_OF_RANGE)
    # The clinic's own codes, each checked as its field; major and surgical items omitted keep
    # the defaults, which no price list need name.
    given = {
        "offeredItems": _items(input.offered_items),
        "keyItems": _items(input.key_items),
        "majorItems": _items(input.major_items) if input.major_items is not None else None,
        "surgicalItems": _items(input.surgical_items) if input.surgical_items is not None else None,
    }
    problem = _first_problem(
        codes_problem(field_name, codes, MAX_POLICY_ITEMS) for field_name, codes in given.items()
    )
    if problem:
        return from_problem(problem)
    unlisted = None
    for field_name, codes in given.items():
        unlisted = await unknown_code(field_name, codes, claims.clinic_id)
        if unlisted:
            break
    if unlisted:  # (a retry of a change the desk took before codes were looked up is answered)
        return await refused(info, input, from_problem(unlisted))
    policy = RotationPolicy(
        # The name is staff's words: it goes to the desk note, the desk knows the note's id.
        name="",
        busy_makeup=input.busy_makeup,
        scope_makeup=input.scope_makeup,
        absent_makeup=input.absent_makeup,
        companions=input.companions,
        designated_uses_turn=input.designated_uses_turn,
        stand_in_for_absent_owner=input.stand_in_for_absent_owner,
        acceptance_minutes=input.acceptance_minutes,
        offered_items=given["offeredItems"] or (),
        key_items=given["keyItems"] or (),
        major_items=_or_default(given["majorItems"], DEFAULT_POLICY.major_items),
        surgical_items=_or_default(given["surgicalItems"], DEFAULT_POLICY.surgical_items),
    )
    command = OverrideCommand(actor, OverrideKind.SET_POLICY, policy=policy)

    def named(note_id: str) -> OverrideCommand:
        return replace(command, note_id=note_id, policy=replace(policy, name_note_id=note_id))

    return await desk_change(
        info,
        "set_rotation_policy",
        input,
        lambda gateway, clinic, key, note: gateway.override(clinic, named(note), key),
        note=input.reason,
        policy=input.name.strip(),
    )


def _items(items: list[str] | None) -> tuple[str, ...]:
    # The desk matches item codes lower-cased, as `autoAssign` receives them.
    return item_codes(items)


def _or_default(codes: tuple[str, ...] | None, default: tuple[str, ...]) -> tuple[str, ...]:
    return default if codes is None else codes


def _first_problem(problems: Iterable[FieldProblem | None]) -> FieldProblem | None:
    return next((problem for problem in problems if problem is not None), None)
