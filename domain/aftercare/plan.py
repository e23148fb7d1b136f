"""The follow-up plan: when each call falls due, by which channel, for what, with which questions.

Until procedure types carry plans of their own, every journey follows the clinic's offsets with
the purpose and questions of their seed-002 tier (short term, mid term, long term). A procedure
type's plan replaces `default_plan` at the seam `plan_step_for`: a step is found by its offset
(the follow-up `fu-N` is the N-th of the journey's offsets), by its label only for a follow-up
without an id. Labels round: a 30-day call and a 42-day visit are both "1m".
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.journey.followups import DAY, label_for, offset_of
from domain.procedures.template import ProcedureContent


@dataclass(frozen=True)
class FollowUpPlanStep:
    offset_seconds: int
    channel: str
    purpose: str
    questions: tuple[str, ...]

    @property
    def label(self) -> str:
        return label_for(self.offset_seconds)


# Seed 002 §5: the first week asks about the body's reaction, the first month about the result
# taking shape, later calls about the lasting result and what comes next.
_SHORT_TERM = (
    "check the reaction and the discomforts",
    (
        "How do you feel since the treatment?",
        "Any swelling, bruising or pain beyond what we told you is normal?",
        "Are you following the aftercare instructions?",
    ),
)
_MID_TERM = (
    "check the result taking shape",
    ("Are you pleased with the result so far?", "Has anything worried you since the last call?"),
)
_LONG_TERM = (
    "check the lasting result and invite a recheck",
    ("Are you satisfied with the result now?", "Would you like to book a recheck?"),
)


def _tier(offset_seconds: int) -> tuple[str, tuple[str, ...]]:
    if offset_seconds <= 7 * DAY:
        return _SHORT_TERM
    if offset_seconds <= 31 * DAY:
        return _MID_TERM
    return _LONG_TERM


def default_plan(offsets: list[int] | tuple[int, ...]) -> list[FollowUpPlanStep]:
    return [FollowUpPlanStep(offset, "PHONE", *_tier(offset)) for offset in sorted(set(offsets))]


def plan_of(content: ProcedureContent | None) -> list[FollowUpPlanStep] | None:
    """A procedure type version's follow-up plan as plan steps; None when there is no type
    (or it plans nothing), so the journey keeps the default plan of its offsets."""
    if content is None or not content.follow_ups:
        return None
    return [
        FollowUpPlanStep(s.offset_seconds, s.channel.value, s.purpose, tuple(s.questions))
        for s in sorted(content.follow_ups, key=lambda step: step.offset_seconds)
    ]


def plan_step_for(
    label: str,
    offsets: list[int],
    plan: list[FollowUpPlanStep] | None = None,
    *,
    follow_up_id: str | None = None,
) -> FollowUpPlanStep | None:
    """The step of the journey's plan that a follow-up stands for: `plan` is the procedure
    type's, when the journey has one; else the default plan of its offsets."""
    steps = plan if plan else default_plan(offsets)
    offset = offset_of(follow_up_id, offsets) if follow_up_id else None
    if offset is not None:
        at_offset = next((step for step in steps if step.offset_seconds == offset), None)
        if at_offset is not None:
            return at_offset
    return next((step for step in steps if step.label == label), None)
