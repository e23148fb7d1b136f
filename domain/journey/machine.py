"""Builds the `transitions` machine from the state table and answers "may this happen?"."""

from __future__ import annotations

from transitions import Machine

from domain.journey.facts import ActionRequest, JourneyFacts
from domain.journey.rules import JourneyRules
from domain.journey.stages import Stage
from domain.journey.table import TRANSITIONS, Action


def build_machine(rules: JourneyRules) -> Machine:
    # The plain Machine, not AsyncMachine: it runs inside Temporal's deterministic event loop.
    return Machine(
        model=rules,
        states=Stage,
        transitions=TRANSITIONS,
        initial=rules.facts.stage,
        auto_transitions=False,
        send_event=False,
    )


def may(facts: JourneyFacts, request: ActionRequest) -> bool:
    """Whether the machine would take `request.action` from the journey's current stage."""
    rules = JourneyRules(facts, request)
    build_machine(rules)
    checker = getattr(rules, f"may_{request.action.value}")
    return bool(checker())


def fire(facts: JourneyFacts, request: ActionRequest) -> Stage:
    """Runs the action through the machine and returns the stage it lands in."""
    rules = JourneyRules(facts, request)
    build_machine(rules)
    getattr(rules, request.action.value)()
    return rules.state


def triggers_from(stage: Stage) -> list[Action]:
    sources = (row["source"] for row in TRANSITIONS)
    rows = zip(TRANSITIONS, sources, strict=True)
    names = {row["trigger"] for row, src in rows if src == stage or _in(stage, src)}
    return [action for action in Action if action.value in names]


def _in(stage: Stage, source: object) -> bool:
    return isinstance(source, list) and stage in source
