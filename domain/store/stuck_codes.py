"""What a stuck journey's row reads as (`StuckJourney.reasonCode`, the board's and the alert's
`stuckReasonCode`), and which rows read as a code (`stuckJourneys(reasonCode:)`), as a filter
the database applies, so the list pages as it does unfiltered.

A row that keeps its code (`journey.stuck_reason_code`) reads as it; a row marked stuck before
the code was kept reads as its words say (`domain.journey.stuck_words`), and the same forms
pick it out here: its stage, and its words' beginning, middle and end, without regard to case.
"""

from __future__ import annotations

from functools import reduce

from tortoise.expressions import Q

from domain.journey.stages import Stage
from domain.journey.stuck_reasons import StuckReason
from domain.journey.stuck_words import (
    FOLLOW_UP_FORMS,
    OTHER_FOLLOW_UP_WORDS,
    Form,
    code_from_words,
)
from domain.store.models import Journey


def code_of(row: Journey) -> StuckReason | None:
    """Why the row's journey counts as stuck: the code of the rule that marked it so, as the
    row keeps it, or read from its words for a journey marked stuck before the code was kept;
    None when it is not stuck."""
    if not row.stuck:
        return None
    if row.stuck_reason_code:
        return StuckReason(row.stuck_reason_code)
    return code_from_words(Stage(row.stage), row.stuck_reason)


def _says(form: Form) -> Q:
    return Q(
        stuck_reason__istartswith=form.prefix,
        stuck_reason__icontains=form.middle,
        stuck_reason__iendswith=form.suffix,
    )


def _from_words(code: StuckReason) -> Q | None:
    """The rows without a code whose stage and words read as `code`; None for a code the
    words of no such row read as (a rule added since)."""
    if code is StuckReason.STAGE_OVERDUE:
        return ~Q(stage=Stage.FOLLOW_UP.value)
    in_follow_ups = Q(stage=Stage.FOLLOW_UP.value)
    said_before: list[Q] = []  # the forms read first: words they say read as theirs
    for form_code, form in FOLLOW_UP_FORMS:
        if form_code is code:
            return reduce(Q.__and__, [~q for q in said_before], in_follow_ups & _says(form))
        said_before.append(_says(form))
    if code is not OTHER_FOLLOW_UP_WORDS:
        return None
    # Any other words in the follow-ups: no form says them, or there are none.
    no_form = reduce(Q.__and__, [~q for q in said_before])
    return in_follow_ups & (Q(stuck_reason__isnull=True) | no_form)


def reads_as(code: StuckReason) -> Q:
    """The journey rows that read as `code` (with `stuck=True`, the stuck ones)."""
    kept = Q(stuck_reason_code=code.value)
    words = _from_words(code)
    return kept if words is None else kept | (Q(stuck_reason_code__isnull=True) & words)
