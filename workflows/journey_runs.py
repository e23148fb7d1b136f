"""A journey's run handing over to a new one (continue-as-new), and what it hands over.

Temporal bounds what one run takes: 2,000 updates by default (`history.maxTotalUpdates`; every
update counts, `opened` and `settle_drafts` too), after which every update is refused, so a
journey that many updates old could no longer move, not even be closed; and 51,200 events or
50 MB of history, after which the server ends the run. It advises continuing as new well before
(`is_continue_as_new_suggested`: at 1,800 updates, 4,096 events or 4 MB by default; at about 7
events a step, the events come first, after some 600 steps). A journey takes the advice between
two steps, once no handler is running and every change is in the read model: the new run starts
from the journey as the old one left it, opens nothing and writes nothing until the next step.
The workflow id stays; callers address the journey by it, not by run.

What one run knew and the next must too:
- the facts (the journey itself: stage, follow-ups and their times, records, stuck flag);
- the answers to the latest staff actions it applied, by update id: Temporal answers a repeated
  update id with its first outcome only within the run that took it, and a mutation whose answer
  was lost retries with the same id (`schema.journeys.actions`), so the new run answers those
  itself. An action the journey refused is not carried: it changed nothing, and its retry is
  judged again. Nor can a run that has ended answer a retry of a step taken in a run before it;
  Temporal then says the journey has ended.
- the search attributes as they stand (Temporal's default for a run continued as new).
"""

from __future__ import annotations

import dataclasses
from collections import deque

from temporalio import workflow

from workflows.journey_changes import CURRENT_CHANGES

with workflow.unsafe.imports_passed_through():
    from domain.journey.facts import (
        ActionResult,
        AnsweredAction,
        CarriedJourney,
        JourneyFacts,
        JourneyStart,
    )

# How many staff actions' answers a run carries into the next: the latest ones, whose retries
# may still come (a retry follows its lost answer within seconds to minutes; a run hands over
# after hundreds of steps). At most a few hundred bytes each in the new run's input.
CARRIED_ANSWERS = 200


class AnsweredActions:
    """The answers a run gave to staff actions, by update id, and those an earlier run gave."""

    def __init__(self, carried: list[AnsweredAction]) -> None:
        self._from_earlier_runs = {answer.update_id: answer.result for answer in carried}
        self._latest: deque[AnsweredAction] = deque(carried, maxlen=CARRIED_ANSWERS)

    def from_earlier_run(self, update_id: str) -> ActionResult | None:
        """The answer an earlier run gave this update id (this run's Temporal answers itself)."""
        return self._from_earlier_runs.get(update_id)

    def add(self, update_id: str, result: ActionResult) -> None:
        self._latest.append(AnsweredAction(update_id, result))

    def to_carry(self) -> list[AnsweredAction]:
        return list(self._latest)


def next_run_start(
    start: JourneyStart, facts: JourneyFacts, answered: AnsweredActions
) -> JourneyStart:
    """The input of the run that continues this one: the first run's start as it was (it names
    the journey), listing today's code changes, carrying the journey."""
    return dataclasses.replace(
        start,
        record_id=None,
        started_with_changes=list(CURRENT_CHANGES),
        carried=CarriedJourney(facts=facts, answered=answered.to_carry()),
    )
