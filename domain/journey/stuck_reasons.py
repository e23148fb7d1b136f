"""Why a journey counts as stuck, as a code: one per rule of `domain.journey.sla` that makes a
journey stuck, beside the words the rule says it in (`StuckJourney.reason`).

A screen groups, translates and filters stuck journeys by the code; the words name the stage,
the call and its window, and change with the rules (a run of the call windows says a 24 h call
was "not made within 24 hours of the treatment", one started before them that it is "overdue
by more than a day"), the code only with the rule that fired.
"""

from __future__ import annotations

from enum import Enum

from domain.journey.stages import Stage


class StuckReason(str, Enum):
    # A stage other than the follow-ups waited past its SLA (the clinic's, or the default).
    STAGE_OVERDUE = "STAGE_OVERDUE"
    # A follow-up call of the first day not made within its handbook window after the treatment.
    FOLLOW_UP_CALL_WINDOW_MISSED = "FOLLOW_UP_CALL_WINDOW_MISSED"
    # A follow-up call not made within the clinic's allowance past its due time (a day for a
    # journey handed over before it was kept): a call with no handbook window, one of the first
    # day whose allowance ends before its window, or any call of a run started before the windows.
    FOLLOW_UP_CALL_OVERDUE = "FOLLOW_UP_CALL_OVERDUE"
    # A due follow-up call tried three times without reaching the client.
    FOLLOW_UP_CALLS_UNANSWERED = "FOLLOW_UP_CALLS_UNANSWERED"


def unruled(stage: Stage) -> StuckReason:
    """The code of a journey marked stuck when no rule's deadline had passed (its words say
    only "stage SLA breached"): in the follow-ups a call overdue, elsewhere its stage's SLA."""
    if stage is Stage.FOLLOW_UP:
        return StuckReason.FOLLOW_UP_CALL_OVERDUE
    return StuckReason.STAGE_OVERDUE
