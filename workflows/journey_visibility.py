"""What a journey tells Temporal's visibility (its search attributes), and when it upserts them.

Each upsert is a command and a visibility write on the server, so a run upserts only when a value
moved, and not what its start already told: the workflow client tells the stage the opening ends
in with the start, and a run continued as new starts with the values its predecessor had.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from temporalio import workflow
from temporalio.common import TypedSearchAttributes

from workflows import search_attributes

with workflow.unsafe.imports_passed_through():
    from domain.journey.facts import JourneyFacts

# (clinic, stage, when the stage was entered, stuck)
Searchable = tuple[str, str, datetime, bool]


def searchable(facts: JourneyFacts) -> Searchable:
    return (
        facts.clinic_id,
        facts.stage.value,
        facts.stage_entered_at or facts.started_at,
        facts.stuck_since is not None,
    )


class JourneyVisibility:
    """One run's search attributes: what its start told, and what it upserted since."""

    def __init__(self, started_with: TypedSearchAttributes) -> None:
        # What the start told visibility: the opening then upserts nothing it already holds.
        # None for runs started without it, which upsert as they open.
        self._told_at_start = search_attributes.clinic_stage_stuck(started_with)
        # The values as last upserted by this run (None: never).
        self._upserted: Searchable | None = None

    def after_opening(self, facts: JourneyFacts, only_changed: Callable[[], bool]) -> None:
        """Once open, a run whose start told visibility its attributes upserts them only if the
        opening ended elsewhere than the start said. Until the stage changes, visibility's entry
        time is then the API's instant of starting, earlier than the run's own by as long as
        the first workflow task waited for a worker (milliseconds, unless workers were down)."""
        if self._told_at_start is None:
            return  # upserted as it opened
        clinic, stage, _entered_at, stuck = values = searchable(facts)
        if self._told_at_start == (clinic, stage, stuck):
            self._upserted = values
            return
        self.upsert(facts, opened=True, only_changed=only_changed)

    def upsert(
        self, facts: JourneyFacts, *, opened: bool, only_changed: Callable[[], bool]
    ) -> None:
        """After a change. `only_changed`: whether this run follows the change that upserts only
        moved values (asked only when none moved, as `patched` must be)."""
        if self._told_at_start is not None and not opened:
            return  # once the opening is over (`after_opening`)
        values = searchable(facts)
        if values == self._upserted and only_changed():
            return
        self._upserted = values
        clinic, stage, entered_at, stuck = values
        workflow.upsert_search_attributes(
            [
                search_attributes.CLINIC.value_set(clinic),
                search_attributes.STAGE.value_set(stage),
                search_attributes.STAGE_ENTERED_AT.value_set(entered_at),
                search_attributes.STUCK.value_set(stuck),
            ]
        )
