"""Her complaints in the client's copy, each with the clinic's answers and its resolution."""

from __future__ import annotations

from typing import Any

from domain.client_file import export as x
from domain.client_file import file_records as records
from domain.complaints.rules import MAX_ENTRIES_PER_COMPLAINT
from domain.store.client_file_parts import Reading, whole
from domain.store.complaints import Complaint, ComplaintEntry


async def complaints(reading: Reading, part: x.Part[Any]) -> list[records.Complaint]:
    rows = await reading.rows(Complaint, "recorded_at", part)
    entries = ComplaintEntry.filter(
        complaint_id__in=[row.id for row in rows], recorded_at__lte=reading.as_of
    ).order_by("recorded_at", "id")
    most = part.most() * MAX_ENTRIES_PER_COMPLAINT
    answers: dict[str, list[records.ComplaintAnswer]] = {row.id: [] for row in rows}
    for entry in await whole(entries, most, "answers to complaints") if rows else []:
        answers[entry.complaint_id].append(
            records.ComplaintAnswer(
                id=entry.id,
                kind=entry.kind,
                outcome=entry.outcome,
                note=entry.note,
                by=entry.recorded_by,
                author_role=entry.recorded_by_role,
                at=entry.recorded_at,
            )
        )
    return [
        records.Complaint(
            id=row.id,
            journey_id=row.journey_id,
            channel=row.channel,
            category=row.category,
            description=row.description,
            received_at=row.received_at.isoformat(),
            first_answer_due_at=row.first_answer_due_at.isoformat(),
            by=row.recorded_by,
            author_role=row.recorded_by_role,
            answers=answers[row.id],
            at=row.recorded_at,
        )
        for row in rows
    ]
