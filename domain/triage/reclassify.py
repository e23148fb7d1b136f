"""Reclassifying a visit the desk placed today: its category changes, the counts follow.

Seed 004: an item the medical director rules out after assignment makes the first visit
"other", with no make-up turn for the consultant ("经相关技术院长及主任明确诊断为本院不能做的项目;
可由初诊改为其他状态,但不在为初诊咨询进行名额补排"). The original entry stays; the
reclassification is a new one, signed by a supervisor or an expert and naming its rule and the
policy in force. Rules are `domain.triage.commands.ReclassifyRule`.
"""

from __future__ import annotations

from datetime import datetime

from domain.errors import FieldProblemCode as Code
from domain.errors import NotFound, ValidationFailed
from domain.journey.stages import VisitCategory
from domain.triage.commands import OverrideCommand, in_desk_words
from domain.triage.desk import DeskState
from domain.triage.entries import DeskEntry, EntryKind
from domain.triage.ledger import new_entry


def check_reclassify(desk: DeskState, command: OverrideCommand) -> None:
    assignment = desk.assignments.get(command.journey_id or "")
    if assignment is None:
        raise NotFound("no desk assignment for this journey today")
    if command.reclassify_rule is None:
        raise ValidationFailed.one("rule", "say which rule reclassifies the visit", Code.REQUIRED)
    if command.category is None or command.category is VisitCategory.RECHECK:
        code = Code.REQUIRED if command.category is None else Code.UNKNOWN_VALUE
        raise ValidationFailed.one("category", "a recheck is not placed by the desk", code)
    if command.category is assignment.category:
        raise ValidationFailed.one(
            "category", f"the visit is already {command.category.value}", Code.NOT_ALLOWED_NOW
        )


def reclassify(desk: DeskState, command: OverrideCommand, now: datetime) -> DeskEntry:
    assert command.journey_id and command.category and command.reclassify_rule
    assignment = desk.assignments[command.journey_id]
    before, after = assignment.category, command.category
    seat = desk.seats[assignment.consultant_id]
    seat.add_count(before.value, -1)
    seat.add_count(after.value)
    # Only a first visit is a rotation turn; the turn taken stays taken either way: no make-up.
    counted = after is VisitCategory.FIRST_VISIT
    seat.turns += int(counted) - int(assignment.counted)
    assignment.category, assignment.counted = after, counted
    turn = "counts as a turn" if counted else "not a turn, no make-up turn"
    rule = command.reclassify_rule
    return new_entry(
        desk,
        EntryKind.RECLASSIFIED,
        command.actor.user_id,
        now,
        in_desk_words(
            f"reclassified {before.value} -> {after.value} ({rule.value.lower()}): {turn}", command
        ),
        consultant_id=assignment.consultant_id,
        journey_id=assignment.journey_id,
        client_id=assignment.client_id,
        category=after.value,
        item=assignment.item,
        counted=counted,
        route=assignment.route,
        rule=rule.value,
        note_id=command.note_id or None,
    )
