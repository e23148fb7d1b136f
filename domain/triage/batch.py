"""Arrivals decided together: a crowd waiting at one API process goes to the desk in one update.

Each arrival is decided exactly as if it had come alone, in the order the arrivals waited, and
one refused arrival does not refuse the others: every answer carries its own decision or its
own refusal (the refusal a lone arrival would have heard from the desk).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from domain.errors import (
    Conflict,
    DomainError,
    ErrorCode,
    FieldProblem,
    FieldProblemCode,
    NotAuthorized,
    NotFound,
    TransitionNotAllowed,
    ValidationFailed,
)
from domain.triage import service
from domain.triage.alerts import BoundAsked, UnplacedAsked, always, always_cleared
from domain.triage.commands import ArriveCommand, DeskReply
from domain.triage.desk import DeskState
from domain.triage.entries import DeskEntry

_ERRORS: dict[ErrorCode, type[DomainError]] = {
    ErrorCode.TRANSITION_NOT_ALLOWED: TransitionNotAllowed,
    ErrorCode.NOT_AUTHORIZED: NotAuthorized,
    ErrorCode.NOT_FOUND: NotFound,
    ErrorCode.CONFLICT: Conflict,
}


@dataclass
class ArriveBatch:
    """Arrivals in the order they waited; ids and codes only, like a lone `ArriveCommand`."""

    commands: list[ArriveCommand]


@dataclass
class DeskRefusal:
    """Why the desk refused one arrival of a batch. Part of the desk's answer, kept in its
    history: a retried round answered from there, recorded before problems had codes, reads
    their codes INVALID (the dataclass's default); a reader of the release before leaves the
    codes out."""

    code: ErrorCode
    message: str
    problems: list[FieldProblem] = field(default_factory=list)

    @classmethod
    def of(cls, error: DomainError) -> DeskRefusal:
        problems = list(error.problems) if isinstance(error, ValidationFailed) else []
        return cls(error.code, error.message, problems)

    def error(self) -> DomainError:
        if self.code is ErrorCode.VALIDATION_FAILED:
            unnamed = FieldProblem("input", self.message, FieldProblemCode.INVALID)
            return ValidationFailed(self.problems or [unnamed])
        return _ERRORS.get(self.code, TransitionNotAllowed)(self.message)


@dataclass
class ArrivalAnswer:
    """One arrival's outcome: the desk's reply, or its refusal."""

    reply: DeskReply | None = None
    refusal: DeskRefusal | None = None


def arrive_together(
    desk: DeskState,
    batch: ArriveBatch,
    now: datetime,
    *,
    alert_once: bool = True,
    alerts_bounded: BoundAsked = always,
    other_drops_lead: Callable[[], bool] = always,
    emergency_route: Callable[[], bool] = always,
    unplaced_cleared: UnplacedAsked = always_cleared,
) -> tuple[list[ArrivalAnswer], list[DeskEntry]]:
    """One decision round: each arrival in turn, as `service.arrive` decides a lone one, the
    emergencies first (`emergency`: ahead of everyone), the answers in the arrivals' order."""
    answers: dict[int, ArrivalAnswer] = {}
    entries: list[DeskEntry] = []
    for index in _emergencies_first(batch, emergency_route):
        command = batch.commands[index]
        try:
            decision, new = service.arrive(
                desk,
                command,
                now,
                alert_once=alert_once,
                alerts_bounded=alerts_bounded,
                other_drops_lead=other_drops_lead,
                emergency_route=emergency_route,
                unplaced_cleared=unplaced_cleared,
            )
        except DomainError as error:
            answers[index] = ArrivalAnswer(refusal=DeskRefusal.of(error))
            continue
        entries.extend(new)
        seqs = [e.seq for e in new]
        answers[index] = ArrivalAnswer(DeskReply(desk.seq, decision, decision.consultant_id, seqs))
    return [answers[index] for index in range(len(batch.commands))], entries


def _emergencies_first(batch: ArriveBatch, emergency_route: Callable[[], bool]) -> list[int]:
    """The order a round decides its arrivals in: `emergency_route` is asked only for a round
    holding an emergency (a desk run begun before decided them in the order they waited)."""
    order = list(range(len(batch.commands)))
    if not any(c.arrival.emergency is not None for c in batch.commands) or not emergency_route():
        return order
    return sorted(order, key=lambda index: batch.commands[index].arrival.emergency is None)
