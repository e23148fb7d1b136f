"""Rows of the permission table: the triage desk."""

from __future__ import annotations

from domain.permissions.audiences import (
    DESK_VIEW,
    REGISTRARS,
    Audience,
    R,
    of_roles,
    rows,
)

DESK_TYPES: dict[str, dict[str, Audience]] = {
    # The triage desk.
    "TriageBoard": rows(
        DESK_VIEW,
        "clinicId day version policy nextConsultantId seats owedTurns alerts alertsDropped pending",
    ),
    "TriageBoardPayload": rows(DESK_VIEW, "board"),
    "ReclassifyVisitPayload": rows(
        of_roles(R.SUPERVISOR, R.EXPERT), "journeyId visitCategory counted deskVersion"
    ),
    "TriageSeat": rows(
        DESK_VIEW,
        "consultantId position onDuty status scope firstVisitTurns turnsUsedEarly owedTurns"
        " counts delegateId",
    ),
    "CategoryCount": rows(DESK_VIEW, "category count"),
    "OwedTurn": rows(DESK_VIEW, "consultantId reason fromTurnOf"),
    "TriageAlert": rows(DESK_VIEW, "seq message journeyId timesRaised kind"),
    "PendingAssignment": rows(
        DESK_VIEW, "journeyId consultantId route counted assignedAt acceptBy emergency"
    ),
    "TriageDecision": rows(
        DESK_VIEW,
        "consultantId counted route reason policy majorItem skips visitCategory categoryReason",
    ),
    "TriageSkip": rows(DESK_VIEW, "consultantId why makeupOwed"),
    "TriageLogEntry": rows(
        DESK_VIEW,
        "seq kind at actorId actor consultantId journeyId counted reason policy amendsSeq details",
    ),
    "AutoAssignPayload": rows(DESK_VIEW, "journey decision"),
    "LeadContactPayload": rows(REGISTRARS, "ownerId"),
}
