"""The FHIR resources of her complaints (`domain.client_file.file_records.Complaint`).

FHIR has no complaint resource; a complaint is what she told the clinic, and its handling is
work the clinic owes her, so each is mapped to the resources made for those. Her complaint is
a Communication of hers to the clinic (`sender` and `subject` her Patient, `received` when the
clinic received it, `medium` how, as HL7's ParticipationMode codes it, `topic` what about, her
words its `payload`). Each answer the clinic gave her is a Communication of its own to her,
`inResponseTo` the complaint. The handling is a Task whose `focus` is the complaint: `status`
`requested` while unanswered, `in-progress` once answered, `completed` once resolved;
`businessStatus` the register's status (OPEN, ANSWERED, RESOLVED), an unanswered one past its
due time "OPEN, first answer overdue" as the copy's moment finds it; `input` when the first
answer is due; `output` each answer (a reference to its Communication) and the outcome
(`ComplaintOutcome`, as text, as the Bundle carries the clinic's own codes); `note` the
resolution's note with who recorded it and when. Each text is in the Bundle once (her copy's
size is bounded: `domain.client_file.export.MAX_EXPORT_BYTES`). Nothing of a complaint is
edited, so there is no Provenance.
Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.client_file.fhir_parts import Subject, notes, resource_id, text
from domain.client_file.file_records import Complaint, ComplaintAnswer
from domain.complaints.rules import ComplaintEntryKind, ComplaintStatus, is_overdue, status_of

_MODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"
# How it came (`ComplaintChannel`), as HL7's participation modes name it.
_MEDIUM = {
    "IN_PERSON": ("FACE", "face-to-face"),
    "PHONE": ("PHONE", "telephone"),
    "LETTER": ("MAILWRIT", "mail"),
    "EMAIL": ("EMAILWRIT", "email"),
    "ONLINE": ("ONLINEWRIT", "online written"),
    "FOLLOW_UP_CALL": ("PHONE", "telephone"),
}
_TASK_STATUS = {
    ComplaintStatus.OPEN: "requested",
    ComplaintStatus.ANSWERED: "in-progress",
    ComplaintStatus.RESOLVED: "completed",
}


def _reference(kind: str, stored_id: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource_id(kind, stored_id)}"}


def _medium(channel: str) -> dict[str, Any]:
    """The mode's code, and the channel as the register names it (a channel this mapping does
    not know, a later release's, is its text alone)."""
    if channel not in _MEDIUM:
        return text(channel)
    code, display = _MEDIUM[channel]
    return {"coding": [{"system": _MODE, "code": code, "display": display}], "text": channel}


def _complaint(complaint: Complaint, subject: Subject) -> dict[str, Any]:
    about = f"about her journey {complaint.journey_id}" if complaint.journey_id else None
    taken = f"taken by {complaint.by} ({complaint.author_role}) at {complaint.at.isoformat()}"
    return {
        "resourceType": "Communication",
        "id": resource_id("Complaint", complaint.id),
        "status": "completed",
        "category": [text("complaint")],
        "medium": [_medium(complaint.channel)],
        "subject": subject.patient,
        "topic": text(complaint.category) if complaint.category else None,
        "received": complaint.received_at,
        "sender": subject.patient,
        "payload": [{"contentString": complaint.description}],
        "note": notes(taken, about),
    }


def _answer(answer: ComplaintAnswer, complaint: Complaint, subject: Subject) -> dict[str, Any]:
    return {
        "resourceType": "Communication",
        "id": resource_id("ComplaintAnswer", answer.id),
        "inResponseTo": [_reference("Complaint", complaint.id)],
        "status": "completed",
        "category": [text("answer to a complaint")],
        "subject": subject.patient,
        "sent": answer.at.isoformat(),
        "recipient": [subject.patient],
        "sender": {"display": answer.by},
        "payload": [{"contentString": answer.note}],
    }


def _resolved(resolution: ComplaintAnswer) -> dict[str, str]:
    """The resolution's note, with who recorded it and when."""
    return {
        "authorString": f"{resolution.by} ({resolution.author_role})",
        "time": resolution.at.isoformat(),
        "text": f"resolution ({resolution.outcome}): {resolution.note}",
    }


def _handling(
    complaint: Complaint, answers: list[ComplaintAnswer], subject: Subject
) -> dict[str, Any]:
    status = status_of([answer.kind for answer in complaint.answers])
    due = complaint.first_answer_due_at
    late = is_overdue(status, datetime.fromisoformat(due), subject.file.as_of)
    output: list[dict[str, Any]] = [
        {
            "type": text("answer"),
            "valueReference": _reference("ComplaintAnswer", answer.id),
        }
        for answer in answers
    ]
    resolution = [a for a in complaint.answers if a.kind == ComplaintEntryKind.RESOLUTION.value]
    output += [
        {"type": text("outcome"), "valueCodeableConcept": text(ended.outcome)}
        for ended in resolution
    ]
    last = complaint.answers[-1].at if complaint.answers else complaint.at
    return {
        "resourceType": "Task",
        "id": resource_id("ComplaintHandling", complaint.id),
        "status": _TASK_STATUS[status],
        "businessStatus": text(f"{status.value}, first answer overdue" if late else status.value),
        "intent": "order",
        "code": text("handle her complaint"),
        "focus": _reference("Complaint", complaint.id),
        "for": subject.patient,
        "executionPeriod": {
            "start": complaint.received_at,
            **({"end": resolution[-1].at.isoformat()} if resolution else {}),
        },
        "authoredOn": complaint.at.isoformat(),
        "lastModified": last.isoformat(),
        "input": [{"type": text("first answer due"), "valueDateTime": due}],
        "output": output,
        "note": [_resolved(ended) for ended in resolution],
    }


def complaint(complaint: Complaint, subject: Subject) -> list[dict[str, Any]]:
    """Her Communication, the clinic's answer to it each a Communication, and the Task of its
    handling."""
    answers = [a for a in complaint.answers if a.kind == ComplaintEntryKind.RESPONSE.value]
    return [
        _complaint(complaint, subject),
        *(_answer(answer, complaint, subject) for answer in answers),
        _handling(complaint, answers, subject),
    ]
