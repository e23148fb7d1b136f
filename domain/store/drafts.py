"""Drafts: records written before their journey action, in effect once an event points at them.

A draft is never deleted. One that no event points at (the journey refused the action, or the
answer was lost and its fate is unknown) stays in place and hidden from every read; it is
marked void (`JourneyRecordVoid`) only after the journey's workflow answered that it will never
attach it (`server.settle`).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery

from domain.store.models import JourneyEvent, JourneyRecord, JourneyRecordVoid


async def attached_record(journey_id: str, kind: str) -> JourneyRecord | None:
    """The journey's record of `kind` that one of its events points at (never a draft)."""
    attached = JourneyEvent.filter(journey_id=journey_id, record_id__not_isnull=True)
    return await JourneyRecord.filter(
        journey_id=journey_id, kind=kind, id__in=Subquery(attached.values("record_id"))
    ).first()


async def unsettled_drafts(journey_ids: Collection[str] | None = None) -> dict[str, list[str]]:
    """Drafts no event points at and not void, by journey. Amendments are not drafts: they
    take effect on their own, pointing at an attached record."""
    attached = JourneyEvent.filter(record_id__not_isnull=True).values("record_id")
    voided = JourneyRecordVoid.all().values("record_id")
    query = JourneyRecord.filter(amends_id__isnull=True).exclude(id__in=Subquery(attached))
    query = query.exclude(id__in=Subquery(voided))
    if journey_ids is not None:
        query = query.filter(journey_id__in=list(journey_ids))
    found: dict[str, list[str]] = defaultdict(list)
    rows = await query.order_by("created_at").values_list("journey_id", "id")
    for journey_id, record_id in rows:
        found[str(journey_id)].append(str(record_id))
    return dict(found)


async def is_void(record_id: str) -> bool:
    """Whether reconciliation marked the draft void (the journey then named it never attached)."""
    return await JourneyRecordVoid.exists(record_id=record_id)


async def void_drafts(record_ids: Collection[str], reason: str) -> None:
    now = datetime.now(UTC)
    for record_id in record_ids:
        # Two reconciliations may settle the same draft: the first void stands.
        with contextlib.suppress(IntegrityError):
            await JourneyRecordVoid.create(record_id=record_id, reason=reason, at=now)


@dataclass(frozen=True)
class VoidButAttached:
    journey_id: str
    record_id: str
    seq: int


async def void_but_attached() -> list[VoidButAttached]:
    """Void drafts an event points at after all: a start still in flight while its workflow
    was reported missing, or a step's attempt that read the draft unvoided arriving after its
    journey forgot the void (it keeps the latest only,
    `workflows.journey_drafts.VOID_RECORDS_KEPT`; a later retry finds the void here and is
    refused). Attachment wins for reads; this is drift."""
    voided = Subquery(JourneyRecordVoid.all().values("record_id"))
    rows = await JourneyEvent.filter(record_id__in=voided).values_list(
        "journey_id", "record_id", "seq"
    )
    return [VoidButAttached(str(j), str(r), int(s)) for j, r, s in rows]
