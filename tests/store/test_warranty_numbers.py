"""Warranty card numbers through the real projection: unique even when journey ids begin alike."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

from domain.aftercare.warranty import LONG_DIGITS, card_number
from domain.journey.facts import JourneyChange, JourneyEvent
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.store.aftercare import WarrantyCard
from domain.store.projection import apply_change
from tests.store.stage_plan import START, clinic_with_client, opening_facts
from tests.support import DESK


async def _treated(journey_id: str, clinic_id: str, client_id: str) -> None:
    """The journey's opening event, then its treatment completed: the card is issued."""
    facts = opening_facts(journey_id, clinic_id, client_id)
    opened = JourneyEvent(journey_id, 1, "START", None, Stage.RECEPTION, DESK, START, "opened")
    await apply_change(JourneyChange(opened, dataclasses.replace(facts, event_seq=1)))
    at = START + timedelta(hours=2)
    action = Action.COMPLETE_TREATMENT.value
    treated = JourneyEvent(journey_id, 2, action, Stage.TREATMENT, Stage.HANDOVER, DESK, at, "")
    moved = dataclasses.replace(facts, stage=Stage.HANDOVER, stage_entered_at=at, event_seq=2)
    await apply_change(JourneyChange(treated, moved))


async def test_journeys_whose_ids_begin_alike_get_distinct_cards() -> None:
    clinic_id, client_id = await clinic_with_client("warranty")
    shared = uuid.uuid4().hex[:8]  # the first ten digits alike, the rest not
    first = f"{shared}-ab{uuid.uuid4().hex[:2]}-4000-8000-{uuid.uuid4().hex[:12]}"
    second = f"{shared}-ab{first[11:13]}-4111-8111-{uuid.uuid4().hex[:12]}"
    await _treated(first, clinic_id, client_id)
    await _treated(second, clinic_id, client_id)
    await _treated(second, clinic_id, client_id)  # a retried write issues no second card

    cards = {c.journey_id: c.number for c in await WarrantyCard.filter(clinic_id=clinic_id)}
    at = START + timedelta(hours=2)
    assert cards == {
        first: card_number(first, at),
        second: card_number(second, at, digits=LONG_DIGITS),
    }
    assert len(cards[first]) == len("W-202603-") + 10
    assert len(cards[second]) == 32


async def test_the_number_skips_a_journey_prefix() -> None:
    clinic_id, client_id = await clinic_with_client("warranty")
    # Journeys started outside the API (the benchmarks) carry a "journey-" prefix; counting its
    # letters left three random digits: 4,096 numbers a month.
    ids = [f"journey-{uuid.uuid4()}" for _ in range(3)]
    for journey_id in ids:
        await _treated(journey_id, clinic_id, client_id)
    numbers = [c.number for c in await WarrantyCard.filter(clinic_id=clinic_id)]
    assert sorted(numbers) == sorted(card_number(j, START) for j in ids)
    assert all(not n.removeprefix("W-202603-").startswith("JOURNEY") for n in numbers)
