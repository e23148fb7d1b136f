"""Builds the `transitions` machine from the state table and answers "may this happen?"."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from transitions import Machine

from domain.journey.facts import ActionRequest, JourneyFacts
from domain.journey.rules import JourneyRules
from domain.journey.stages import Stage
from domain.journey.table import TRANSITIONS, Action

# Building a Machine from the table costs about half a millisecond, and every journey action
# asks it three times; so each thread keeps one machine. Attaching a model to it adds a method per
# trigger and per stage, which profiled at 8 % of a worker's CPU while it walked journeys; so each
# thread also keeps the models it attached and, for each question, only points one at the
# journey's facts and stage. (Temporal runs workflow code in worker threads.)
_per_thread = threading.local()


def _shared_machine() -> Machine:
    machine: Machine | None = getattr(_per_thread, "machine", None)
    if machine is None:
        # The plain Machine, not AsyncMachine: it runs inside Temporal's deterministic loop.
        machine = Machine(
            model=None,
            states=Stage,
            transitions=TRANSITIONS,
            initial=Stage.RECEPTION,
            auto_transitions=False,
            send_event=False,
        )
        _per_thread.machine = machine
        _per_thread.idle_models = []
    return machine


@contextmanager
def attached(
    facts: JourneyFacts, request: ActionRequest | None, *, any_withdrawal_declines: bool = False
) -> Iterator[JourneyRules]:
    """The journey's rules, driven by the table's machine, for one question."""
    machine = _shared_machine()
    idle: list[JourneyRules] = _per_thread.idle_models
    # A question asked while another is attached (none is today) gets a model of its own.
    if idle:
        rules = idle.pop()
        rules.facts, rules.request = facts, request
        machine.set_state(facts.stage, model=rules)
    else:
        rules = JourneyRules(facts, request)
        machine.add_model(rules, initial=facts.stage)
    rules.any_withdrawal_declines = any_withdrawal_declines
    try:
        yield rules
    finally:
        rules.request = None  # the pending action is not kept past its question
        rules.any_withdrawal_declines = False
        idle.append(rules)


def may(facts: JourneyFacts, request: ActionRequest) -> bool:
    """Whether the machine would take `request.action` from the journey's current stage."""
    with attached(facts, request) as rules:
        return bool(getattr(rules, f"may_{request.action.value}")())


def fire(
    facts: JourneyFacts, request: ActionRequest, *, any_withdrawal_declines: bool = False
) -> Stage:
    """Runs the action through the machine and returns the stage it lands in.
    `any_withdrawal_declines`: the rule before optional consents stopped ending a journey."""
    with attached(facts, request, any_withdrawal_declines=any_withdrawal_declines) as rules:
        getattr(rules, request.action.value)()
        return rules.state


@functools.cache  # the table is fixed; asked on every action
def triggers_from(stage: Stage) -> frozenset[Action]:
    """The actions the table lets leave `stage`."""
    names = {row["trigger"] for row in TRANSITIONS if _leaves(row["source"], stage)}
    return frozenset(action for action in Action if action.value in names)


def _leaves(source: object, stage: Stage) -> bool:
    return source == stage or (isinstance(source, list) and stage in source)
