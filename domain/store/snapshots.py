"""The journey as of one event: what a live view pushes, one event at a time."""

from __future__ import annotations

from typing import Any

from domain.journey.codec import facts_from_json
from domain.journey.stages import Stage
from domain.store.models import Journey, JourneyEvent
from domain.store.projection import journey_values

BATCH = 50
# What a view of an event without a snapshot takes from the journey as it is now.
_KEPT = [
    "clinic_id",
    "client_id",
    "consultant_id",
    "visit_category",
    "started_at",
    "stage_entered_at",
    "facts",
    "sla_deadline",
    "stuck",
    "stuck_since",
    "stuck_reason",
    "stuck_reason_code",
]


async def events_after(journey_id: str, seq: int, limit: int = BATCH) -> list[JourneyEvent]:
    """The journey's events after `seq`, oldest first, up to the first gap: an event whose
    transaction has not committed yet is waited for, never skipped."""
    rows = (
        await JourneyEvent.filter(journey_id=journey_id, seq__gt=seq).order_by("seq").limit(limit)
    )
    consecutive: list[JourneyEvent] = []
    for row in rows:
        if row.seq != seq + len(consecutive) + 1:
            break
        consecutive.append(row)
    return consecutive


def journey_as_of(event: JourneyEvent, current: Journey) -> Journey:
    """An unsaved journey row as `event` left it (never saved: the read model's row stays the
    newest). Events written before snapshots were kept have none: their view takes the stage
    from the event and the rest from the journey as it is now."""
    values: dict[str, Any]
    if event.facts is not None:
        values = journey_values(facts_from_json(event.facts))
    else:
        stage = Stage(event.to_stage)
        values = {field: getattr(current, field) for field in _KEPT}
        values.update(stage=stage.value, active=not stage.is_terminal, last_event_seq=event.seq)
    return Journey(id=event.journey_id, **values)


async def journey_at(journey_id: str, seq: int) -> tuple[Journey, JourneyEvent | None]:
    """The journey as its event `seq` left it, with that event (the journey as it is now, and
    None, while the event is not in the read model)."""
    current = await Journey.get(id=journey_id)
    event = await JourneyEvent.get_or_none(journey_id=journey_id, seq=seq)
    return (journey_as_of(event, current) if event is not None else current), event
