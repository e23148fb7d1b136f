"""The answers a desk's run gave to staff changes, carried into its next run. Workflow code.

Temporal answers a repeated update id with its first outcome only within the run that took it.
An API process whose answer was lost sends the change again with the same id once the caller
retries with the same key (`schema.triage.desk`), and a desk continues as new every midnight and
on Temporal's advice: its next run would judge the change afresh, and apply a correction twice
or refuse an acceptance it made as "already accepted". So each run hands over its latest answers
and answers those ids itself, as the journey does (`workflows.journey_runs`).
"""

from __future__ import annotations

import dataclasses
from collections import deque

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.triage.commands import AnsweredDeskChange, DeskReply

# How many answers a run hands over: the latest ones, whose retries may still come (a retry
# follows its lost answer within seconds to minutes). A few dozen bytes each without the desk.
CARRIED_DESK_ANSWERS = 200


class DeskAnswers:
    """This run's answers to staff changes, and those the runs before it gave."""

    def __init__(self, carried: list[AnsweredDeskChange]) -> None:
        self._from_earlier_runs = {answer.update_id: answer.reply for answer in carried}
        self._latest: deque[AnsweredDeskChange] = deque(carried, maxlen=CARRIED_DESK_ANSWERS)

    def from_earlier_run(self) -> DeskReply | None:
        """The answer an earlier run gave the update being handled or validated (this run's own
        answers Temporal gives itself)."""
        update = workflow.current_update_info()
        return None if update is None else self._from_earlier_runs.get(update.id)

    def answered_earlier(self, update_id: str) -> bool:
        return update_id in self._from_earlier_runs

    def add(self, reply: DeskReply) -> None:
        update = workflow.current_update_info()
        if update is not None:
            answer = dataclasses.replace(reply, state=None)
            self._latest.append(AnsweredDeskChange(update.id, answer))

    def to_carry(self) -> list[AnsweredDeskChange]:
        return list(self._latest)
