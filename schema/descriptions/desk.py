"""The triage desk (rotation, seed 004) and supervision: the boards staff watch."""

from __future__ import annotations

_CONSULTANT_ID = "The consultant (a `StaffMember` id)."
_JOURNEY_ID = "The journey (a `Journey` id)."
_ROUTE = (
    "How the desk routed the client: ROTATION, MAKEUP, GIVE_BACK, IN_ORDER_UNCOUNTED, OWNER, "
    "OWNER_STAND_IN, REFERRER, PARTNER, KEY_ITEM, COMPANION, VIP, RECHECK, SUPERVISOR or "
    "EMERGENCY (an emergency given to the first consultant free, past the rules that would make "
    "her wait)."
)
_POLICY = "The rotation policy that decided, as name and version."

DESCRIPTIONS = {
    # --- the board ------------------------------------------------------------------------
    "TriageBoard.clinicId": "The clinic whose desk this is.",
    "TriageBoard.day": "The desk's working day (YYYY-MM-DD, clinic time); counts restart daily.",
    "TriageBoard.policy": "The rotation policy in force, as name and version.",
    "TriageBoard.owedTurns": "Make-up turns owed, oldest first.",
    "TriageBoard.alerts": "Today's alerts for the supervisor (e.g. all consultants busy), the "
    "latest raised last: one per journey and kind (a repeat updates it: `timesRaised`), at most "
    "200, the oldest leaving the board past that (`alertsDropped`). `triageLog` keeps every one.",
    "TriageBoard.alertsDropped": "How many of today's alerts left the board to keep it at 200, "
    "the oldest first; each is still in `triageLog` (a SUPERVISOR_ALERT entry).",
    "TriageBoard.pending": "Clients assigned but not yet accepted by their consultant.",
    "TriageBoardPayload.board": "The desk after the change.",
    "TriageSeat.consultantId": _CONSULTANT_ID,
    "TriageSeat.onDuty": "On duty today (and not left the clinic).",
    "TriageSeat.status": "Whether they can take the next client.",
    "TriageSeat.owedTurns": "Make-up turns the desk owes this consultant.",
    "TriageSeat.counts": "Clients received today, per visit category.",
    "CategoryCount": "How many clients of one category a consultant received today.",
    "CategoryCount.count": "How many.",
    "OwedTurn": "A make-up turn the desk owes a consultant (skipped while busy, out of scope, "
    "or handed a client away).",
    "OwedTurn.consultantId": "Who is owed the turn.",
    "OwedTurn.reason": "Why it is owed.",
    "TriageAlert": "Something the desk asks the supervisor to handle.",
    "TriageAlert.seq": "The desk log entry that raised it last.",
    "TriageAlert.timesRaised": "How often the desk raised it today (e.g. a client who waited "
    "again after their consultant left); each time is a log entry.",
    "TriageAlert.message": "What is wrong, for people.",
    "TriageAlert.journeyId": "The journey concerned, if any.",
    "TriageAlert.kind": "UNPLACED (nobody could take the client; leaves the board once she is "
    "placed, taken, or her journey ends or moves on), UNACCEPTED (the client waited past the "
    "acceptance minutes with nobody to hand her on to; leaves once she is taken, by acceptClient "
    "or her consultant's first action, placed anew with reassignClient or by reassignJourney "
    "naming another consultant, or her journey ends) or EMERGENCY (an emergency client: fetch a "
    "doctor at once; leaves once she is taken in hand: acceptClient, her consultant's first "
    "action, also that of the consultant she was placed anew with, or her journey ending); null "
    "for an alert raised before alerts had kinds.",
    "PendingAssignment.emergency": "Why staff marked the client an emergency, if they did.",
    "PendingAssignment": "A client given to a consultant who has not yet accepted: after the "
    "acceptance time (the 10-minute rule) the client goes to the next free consultant, once; "
    "a client handed on once and not accepted in time again stays, and the supervisor is "
    "called. A client whose journey reassignJourney gives another consultant leaves the list, "
    "taken by that consultant, as reassignClient places her.",
    "PendingAssignment.journeyId": _JOURNEY_ID,
    "PendingAssignment.consultantId": "Who the client was given to.",
    "PendingAssignment.route": _ROUTE,
    "PendingAssignment.counted": "Whether it used a first-visit turn.",
    "PendingAssignment.assignedAt": "When the desk assigned the client, in UTC.",
    "PendingAssignment.acceptBy": "When the client is handed on (or, handed on once already, "
    "the supervisor called) if not accepted, in UTC; null when no deadline applies.",
    # --- a decision and the log -----------------------------------------------------------
    "TriageDecision.consultantId": "Who gets the client; null when the supervisor must decide "
    "(e.g. all busy).",
    "TriageDecision.route": _ROUTE,
    "TriageDecision.reason": "Why, in words, with the consultants skipped and why.",
    "TriageDecision.policy": _POLICY,
    "TriageDecision.majorItem": "The item that decided scope, when several were asked for.",
    "TriageDecision.skips": "Consultants passed over, in rotation order.",
    "TriageDecision.visitCategory": "The visit category the decision used.",
    "TriageSkip": "A consultant the desk passed over, and why.",
    "TriageSkip.consultantId": _CONSULTANT_ID,
    "TriageSkip.why": "OFF_DUTY, AWAY, PAUSED, BUSY, OUT_OF_SCOPE, TURN_USED_EARLY or GAVE_BACK.",
    "TriageSkip.makeupOwed": "Whether the skip earns them a make-up turn (by the policy).",
    "TriageLogEntry.seq": "The entry's place in the desk's log, without gaps.",
    "TriageLogEntry.kind": "What happened: ASSIGNED, ACCEPTED, TIMED_OUT, REASSIGNED, "
    "VIP_PLACED, SEAT_CHANGED, ORDER_CHANGED, POLICY_CHANGED, CORRECTION, CONSULTANT_LEFT, "
    "SUPERVISOR_ALERT, DAY_OPENED, KEY_ITEM_PRIORITY, ROUTED, RECLASSIFIED, EMERGENCY (staff "
    "marked the client an emergency: she is received first and the supervisor alerted; the reason "
    "code in `details.rule`) or RELEASED (a client no longer waited for: their journey ended, or "
    "the day did, before a consultant took them).",
    "TriageLogEntry.at": "When, in UTC.",
    "TriageLogEntry.actorId": "Raw account id of who acted, or `system` for the desk's clock.",
    "TriageLogEntry.consultantId": "The consultant concerned, if any.",
    "TriageLogEntry.journeyId": "The journey concerned, if any.",
    "TriageLogEntry.counted": "Whether it used a first-visit turn.",
    "TriageLogEntry.reason": "Why, in words.",
    "TriageLogEntry.policy": _POLICY,
    "TriageLogEntry.details": "The entry's particulars (skips, credits, deltas), as an object.",
    # --- desk inputs ----------------------------------------------------------------------
    "AutoAssignInput": "What the front desk knows of an arriving client; the desk applies the "
    "rotation rules.",
    "AutoAssignInput.journeyId": _JOURNEY_ID,
    "AutoAssignInput.companionOfJourneyId": "The main client's journey, when this client came "
    "as a companion.",
    "AutoAssignInput.purpose": "What the client comes for. REFUND makes the visit category "
    "other whatever the records say (seed 004): given out in rotation order, not a turn, not "
    "sent to an owner.",
    "EmergencyReason": "Why reception or triage staff mark a client an emergency (seed 004): "
    "she is received first, her turn counted in order, and the supervisor fetches a doctor.",
    "EmergencyReason.ROAD_ACCIDENT": "Injured in a road accident.",
    "EmergencyReason.FRESH_EXTENSIVE_BURN": "An extensive burn, fresh.",
    "EmergencyReason.CONDITION_WORSENED": "A waiting client's condition changed for the worse.",
    "EmergencyReason.OTHER_ACUTE": "Another acute injury or condition the staff judge urgent.",
    "ArrivalPurpose": "What an arriving client comes for, when that alone decides how the desk "
    "counts them.",
    "ArrivalPurpose.CONSULTATION": "A consultation or treatment: the visit category decides.",
    "ArrivalPurpose.REFUND": "A refund (seed 004: category other, never a first-visit turn).",
    "AutoAssignPayload.journey": "The journey after triage.",
    "AutoAssignPayload.decision": "What the desk decided, and why.",
    "PlaceVipInput": "A VIP placed by the supervisor outside the rotation (not a turn).",
    "PlaceVipInput.journeyId": _JOURNEY_ID,
    "PlaceVipInput.consultantId": "Who receives the VIP.",
    "PlaceVipInput.reason": "Why (official, partner, free case study), for the log.",
    "SeatInput": "Changes one consultant's seat: duty, status, scope, delegate.",
    "SeatInput.consultantId": _CONSULTANT_ID,
    "SeatInput.reason": "Why, for the desk's log.",
    "SeatInput.onDuty": "On or off duty; omitted: unchanged.",
    "SeatInput.status": "Available, busy, away or paused; omitted: unchanged.",
    "SeatInput.clearDelegate": "Remove the delegate.",
    "RotationOrderInput": "The rotation order for the day.",
    "RotationOrderInput.consultantIds": "Consultants (`StaffMember` ids) in turn order.",
    "AcceptClientInput": "The assigned consultant has come for the client.",
    "AcceptClientInput.journeyId": _JOURNEY_ID,
    "DeskOverrideInput": "A supervisor's override of the desk; the fields used depend on the "
    "mutation (reassignClient, correctDeskRecord, consultantLeft).",
    "DeskOverrideInput.reason": "Why, for the desk's log (signed by the supervisor).",
    "DeskOverrideInput.journeyId": "reassignClient: the journey to move.",
    "DeskOverrideInput.consultantId": "reassignClient: the new consultant; correctDeskRecord: "
    "whose counts change; consultantLeft: who left.",
    "DeskOverrideInput.turnsDelta": "correctDeskRecord: add to (or, negative, take from) the "
    "consultant's counted turns; from -50 to 50.",
    "DeskOverrideInput.makeupDelta": "correctDeskRecord: make-up turns to add (negative: take); "
    "from -50 to 50.",
    "RotationPolicyInput.name": "A name for this policy, e.g. the handbook it follows.",
    "RotationPolicyInput.reason": "Why it changes, for the desk's log.",
    "RotationPolicyInput.busyMakeup": "A consultant skipped while busy is owed a make-up turn.",
    "RotationPolicyInput.scopeMakeup": "A consultant skipped for an item out of scope is owed "
    "the next fitting client.",
    "RotationPolicyInput.absentMakeup": "A consultant skipped while away is owed a make-up turn.",
    "RotationPolicyInput.companions": "How companions count.",
    "RotationPolicyInput.designatedUsesTurn": "A client sent to a partner's designated "
    "consultant counts as that consultant's turn.",
    "RotationPolicyInput.standInForAbsentOwner": "When the owner is away, the desk picks a "
    "stand-in (else the supervisor arranges one).",
    "RotationPolicyInput.acceptanceMinutes": "Minutes an assigned consultant has to accept "
    "(1 to 120; the 10-minute rule).",
    "KeyItemPriorityInput": "This month's priority order for the clinic's key items.",
    "KeyItemPriorityInput.reason": "Which month's ranking this is, for the desk's log.",
    "KeyItemStanding.consultantId": _CONSULTANT_ID,
    "KeyItemStanding.consultations": "Key-item consultations this month.",
    "KeyItemStanding.deals": "Key-item deals this month.",
    "KeyItemStanding.conversionRate": "Deals per consultation, 0 to 1.",
    "LeadContactInput": "A phone or online contact with a lead, before any visit.",
    "LeadContactInput.clientId": "The lead's client file (a `Client` id).",
    "LeadContactInput.channel": "Phone or online.",
    "LeadContactInput.note": "What was said, if worth noting.",
    "LeadContactPayload": "The contact, recorded, and who owns the client now.",
    # --- supervision ----------------------------------------------------------------------
    "StuckJourney.journey": "The journey.",
    "StuckJourney.stage": "The stage it is stuck in.",
    "StuckJourney.reason": "Why it counts as stuck, in words (they name the stage and its SLA, "
    "or the call and its window, and may change with the rules: group, filter and translate by "
    "`reasonCode`).",
    "StuckJourney.reasonCode": "Why it counts as stuck, as a code: the rule that marked it so, "
    "kept as it fired (a journey marked stuck before the code was kept reads as its `reason` "
    "says). `stuckJourneys(reasonCode:)` lists the journeys of one.",
    "StuckJourney.since": "When its SLA ran out, in UTC.",
    "StuckJourney.overdueSeconds": "Seconds past the SLA, now.",
    "StuckJourneyConnection": "One page of stuck journeys, most overdue first.",
    "StuckJourneyConnection.edges": "The stuck journeys on this page.",
    "StuckJourneyConnection.pageInfo": "Whether more follow, and the cursors.",
    "StuckJourneyEdge": "A stuck journey on a page, with its cursor.",
    "StuckJourneyEdge.cursor": "Pass as `after` to continue after this one.",
    "StuckJourneyEdge.node": "The stuck journey.",
    "StageStats.stage": "The stage.",
    "StageStats.active": "Journeys in the stage now.",
    "StageStats.stuck": "Of those, how many are past their SLA.",
    "StageStats.medianSecondsInStageToday": "Median time spent in the stage by journeys that "
    "left it today; null when none did.",
    "JourneyStats": "The supervisor cockpit's figures, now: the clinic's journeys per stage, "
    "the tasks and installments overdue, and the complaints open and overdue.",
    "JourneyStats.stages": "One line per active stage.",
    "JourneyAlert.cursor": "Where you were in your clinic's journey log when this alert was "
    "said: pass the last one you received as `myJourneyAlerts(after:)` when you subscribe "
    "again, to hear of the alerts that came since, and of any said after this one that you "
    "had not received (an opaque string of up to about 1,100 characters, sealed by the "
    "server: store it whole; one changed is refused).",
    "JourneyAlert.action": "What happened: a nudge, an escalation, a stuck alert, a reassignment.",
    "JourneyAlert.summary": "One line for people.",
    "JourneyAlert.at": "When, in UTC.",
    "JourneyAlert.journey": "The journey concerned.",
    "StageSla.stage": "The stage.",
    "StageSla.visitCategory": "Only for this visit category; null: every category.",
    "StageSla.seconds": "How long a journey may stay in the stage.",
    "StageSla.isDefault": "The built-in default, not one the clinic set.",
    "StageSlasPayload": "The clinic's SLAs after the change.",
    "StageSlasPayload.slas": "Every stage's SLA, the clinic's own and the defaults.",
    "SetStageSlaInput": "A stage's SLA for journeys that enter it from now on.",
    "SetStageSlaInput.stage": "The stage.",
    "ReassignJourneyInput": "Gives a journey a new owning consultant.",
    "ReassignJourneyInput.journeyId": _JOURNEY_ID,
    "ReassignJourneyInput.consultantId": "The new consultant (a `StaffMember` id).",
    "ReassignJourneyInput.reason": "Why, for the record.",
    "ReassignExpertReviewInput": "Hands a journey's waiting expert review to another expert.",
    "ReassignExpertReviewInput.journeyId": "The journey (a `Journey` id), in EXPERT_REVIEW.",
    "ReassignExpertReviewInput.expertId": "The expert who takes the review over (a "
    "`StaffMember` id of an active expert of the clinic, not the one it names now).",
    "ReassignExpertReviewInput.reason": "Why, for the record (the expert left, is away...).",
    "SupervisorNoteInput": "A supervisor's note on a journey (a nudge or an escalation).",
    "SupervisorNoteInput.journeyId": _JOURNEY_ID,
    "SupervisorNoteInput.note": "The note; the owner sees it as an alert.",
    "SupervisorCloseInput": "Closes a journey for good.",
    "SupervisorCloseInput.journeyId": _JOURNEY_ID,
    "SupervisorCloseInput.reason": "Why, for the record.",
}
