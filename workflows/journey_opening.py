"""How a journey's first run opens it: its facts at the start, and its first event."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.journey.facts import JourneyEvent, JourneyFacts, JourneyStart
    from domain.journey.sla import resolve_slas
    from domain.journey.stages import Stage


def first_facts(start: JourneyStart) -> JourneyFacts:
    """The journey as `start` opens it, before its first event."""
    return JourneyFacts(
        journey_id=start.journey_id,
        clinic_id=start.clinic_id,
        client_id=start.client_id,
        visit_category=start.visit_category,
        channel=start.channel,
        client_is_minor=start.client_is_minor,
        started_at=workflow.now(),
        stage_entered_at=workflow.now(),
        follow_up_offsets=list(start.follow_up_offsets),
        stage_slas=resolve_slas(start.visit_category, start.sla_overrides),
        consultant_id=start.consultant_id,
        linked_journey_id=start.linked_journey_id,
    )


def opening_event(facts: JourneyFacts, start: JourneyStart) -> JourneyEvent:
    """The journey's first event (its seq, 1, counted in `facts`)."""
    facts.event_seq = 1
    return JourneyEvent(
        journey_id=start.journey_id,
        seq=1,
        action="start_journey",
        from_stage=None,
        to_stage=Stage.RECEPTION,
        actor=start.started_by,
        at=workflow.now(),
        summary=f"{start.visit_category.value} via {start.channel.value}",
        record_id=start.record_id,
    )
