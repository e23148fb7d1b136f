"""The code of a journey marked stuck before the code was kept, read from its words.

Since this release a journey keeps the code of the rule that marked it stuck beside the words
(`JourneyFacts.stuck_reason_code`, the read model's `journey.stuck_reason_code`). A journey
marked stuck before it keeps the words alone (`stuck_reason`), said as the rules said them then;
those words are read here by the forms the rules had at that release, written down once so that
a rule reworded later does not change how they read. The same forms pick those journeys out in
the database (`domain.store.stuck_codes`), so a list filtered by a code holds what the journeys
read as.

A journey stays stuck with the words it was marked stuck with while any rule still holds (a
call tried three times after its window closed still says the window), so the words, not the
rule that holds now, name the rule that fired. A journey stuck in a stage other than the
follow-ups was stuck by its stage's SLA.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.journey.stages import Stage
from domain.journey.stuck_reasons import StuckReason


@dataclass(frozen=True)
class Form:
    """Words that begin with `prefix`, hold `middle` and end with `suffix`, compared without
    regard to case (as the database's filter compares them on SQLite and PostgreSQL alike)."""

    prefix: str
    middle: str
    suffix: str

    def says(self, words: str | None) -> bool:
        if words is None:
            return False
        folded = words.lower()
        return (
            folded.startswith(self.prefix)
            and self.middle in folded
            and folded.endswith(self.suffix)
        )


# The follow-up rules' words at the release before the code was kept, first match first:
# "follow-up 1w: three unanswered calls", "follow-up 24h not made within 24 hours of the
# treatment". Any other words in the follow-ups ("follow-up 3d overdue by more than a day",
# "stage SLA breached", words no rule said) read as a call overdue.
FOLLOW_UP_FORMS: tuple[tuple[StuckReason, Form], ...] = (
    (StuckReason.FOLLOW_UP_CALLS_UNANSWERED, Form("follow-up ", "", ": three unanswered calls")),
    (
        StuckReason.FOLLOW_UP_CALL_WINDOW_MISSED,
        Form("follow-up ", " not made within ", " hours of the treatment"),
    ),
)
OTHER_FOLLOW_UP_WORDS = StuckReason.FOLLOW_UP_CALL_OVERDUE


def code_from_words(stage: Stage, reason: str | None) -> StuckReason:
    """Which rule marked a journey stuck in `stage` with the words `reason`, for a journey that
    keeps no code."""
    if stage is not Stage.FOLLOW_UP:
        return StuckReason.STAGE_OVERDUE
    return next(
        (code for code, form in FOLLOW_UP_FORMS if form.says(reason)), OTHER_FOLLOW_UP_WORDS
    )
