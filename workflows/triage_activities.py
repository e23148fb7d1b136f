"""The desk's only I/O: the read-model writer. Never imported by workflow code."""

from __future__ import annotations

from temporalio import activity

from domain.store.triage_projection import apply_desk_changes
from workflows.triage import DeskRecord


@activity.defn(name="record_desk_changes")
async def record_desk_changes(record: DeskRecord) -> None:
    written = await apply_desk_changes(record.clinic_id, record.entries, record.state)
    if written < len(record.entries):
        activity.logger.info("%s desk entries were already recorded", len(record.entries) - written)
