"""What the records say about a client's earlier visits (for the visit category)."""

from __future__ import annotations

from domain.store.models import Journey
from domain.visits import ClientHistory

_TREATED = ("HANDOVER", "FOLLOW_UP", "COMPLETED")


async def client_history(client_id: str) -> ClientHistory:
    journeys = await Journey.filter(client_id=client_id).values_list("stage", "facts")
    consulted = sum(1 for _, facts in journeys if facts.get("consultation_recorded"))
    treated = sum(1 for stage, _ in journeys if stage in _TREATED)
    return ClientHistory(journeys=len(journeys), consulted=consulted, treated=treated)
