"""What a journey tells its clinic's desk: its consultant's first action, its end, or the
supervisor's move of it to another consultant.

A consultant who starts serving a client without pressing "accept" has accepted all the same;
a client who is cancelled, declines or does not show has gone. Either way the desk must stop
the 10-minute rule for that client, or it hands on a client already served or already gone and
costs another consultant a turn. The journey's read-model writer sends the notice (a signal)
with the change that owes one: the named consultant's first action, not every action after it
(the facts mark which event that was); ids and codes only, as a notice crosses Temporal.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import datetime

from domain.journey.facts import TRIAGE_DESK_ACTOR, JourneyEvent, JourneyFacts
from domain.journey.stages import Stage, VisitCategory
from domain.journey.table import OWNED, Action
from domain.roles import Role
from domain.triage.alerts import (
    BoundAsked,
    UnplacedAsked,
    always,
    always_cleared,
    clear_emergency,
    standing,
)
from domain.triage.desk import AlertKind, Assignment, DeskState
from domain.triage.entries import DeskEntry, EntryKind
from domain.triage.ledger import DESK_ACTOR_ID, assignment_entry, new_entry
from domain.triage.overrides import follow_journey

# The desk workflow's signal that carries a notice.
JOURNEY_MOVED_SIGNAL = "journey_moved"
# Where a journey may be while its desk assignment is still pending.
_DESK_WAITS_IN = frozenset({Stage.TRIAGE, Stage.CONSULTATION})
# Where the supervisor may move a journey to another consultant (reassignJourney): in
# consultation and at every stage after it, the client owned by the consultant named.
_MOVED_IN = frozenset(OWNED)


@dataclass(frozen=True)
class JourneyNotice:
    journey_id: str
    # The journey action that moved it (its code, e.g. "record_consultation").
    action: str
    # The consultant whose first action this was; None when the journey ended.
    consultant_id: str | None = None
    ended: bool = False
    # The journey event that owes it: the read-model writer's retry sends the same notice again,
    # and the desk takes each event's once (`_heard_already`). None from a writer of a release
    # that did not send it. Not compared: it orders notices, what they say is the rest.
    seq: int | None = field(default=None, compare=False)


def notice_for(event: JourneyEvent, facts: JourneyFacts) -> JourneyNotice | None:
    """The notice a journey's change owes its desk, or None. `facts` is the journey after the
    event. Only a journey the desk may still be waiting on can owe one: at triage or in
    consultation; a recheck's when she leaves triage with her doctor. The supervisor's move of
    her journey to another consultant (reassignJourney) owes one at any stage it is taken in,
    as the desk keeps her owner and the revenue credit. A repeated notice changes nothing at the
    desk: it carries its event's `seq`."""
    notice = _notice(event, facts)
    return replace(notice, seq=event.seq) if notice is not None else None


def _notice(event: JourneyEvent, facts: JourneyFacts) -> JourneyNotice | None:
    consultant = facts.consultant_id
    if event.action == Action.REASSIGN.value and event.from_stage in _MOVED_IN:
        # The supervisor moved her (reassignJourney): the desk follows at once, at whichever
        # stage, or after her consultation (in expert review, or later) her owner and the
        # revenue credit stayed with the consultant she had. The desk's own hand-overs come
        # back as this action too, and it knows of them.
        moved = event.actor.user_id != TRIAGE_DESK_ACTOR.user_id and consultant is not None
        return JourneyNotice(facts.journey_id, event.action, consultant) if moved else None
    if event.from_stage not in _DESK_WAITS_IN:
        return None
    if facts.stage.is_terminal:
        return JourneyNotice(facts.journey_id, event.action, ended=True)
    if _recheck_assigned(event, facts):
        # The desk routes a recheck, never places her: this is how it hears that her treating
        # doctor or nurse has her (the one who examines a linked recheck, else her pick).
        return JourneyNotice(facts.journey_id, event.action, facts.expert_id or consultant)
    actor = event.actor
    if actor.role is not Role.CONSULTANT or consultant is None or actor.user_id != consultant:
        return None
    # Only the consultant's first action since being named: the desk heard of it already
    # otherwise. None: facts from a release that did not keep the mark, told as before.
    if facts.consultant_first_acted_seq not in (None, event.seq):
        return None
    return JourneyNotice(facts.journey_id, event.action, consultant_id=consultant)


def followed_journey(entry: DeskEntry) -> bool:
    """Whether `entry` is the desk following a journey moved to another consultant
    (`overrides.follow_journey`): the journey names them already, so its record hands nothing
    over, where a hand-over sent late could take her back from whoever the journey names since."""
    return entry.kind is EntryKind.REASSIGNED and entry.actor_id == DESK_ACTOR_ID


def hands_journey_over(entry: DeskEntry) -> bool:
    """Whether after `entry` another consultant serves the client, so that her journey must name
    them (the desk's record activity hands it over): the 10-minute rule's hand-over, and every
    placement anew by staff (reassignClient, an emergency handed on), whether or not her
    ownership moves with it: a stand-in (OWNER_STAND_IN) serves her for her owner, and a joint
    review's second consultant takes her consultation on while the first keeps her, and each
    records the consultation, which only the consultant her journey names may. Not the desk
    following her journey (`followed_journey`), which names them already."""
    handed = entry.kind in (EntryKind.TIMED_OUT, EntryKind.REASSIGNED)
    return handed and not followed_journey(entry)


def _recheck_assigned(event: JourneyEvent, facts: JourneyFacts) -> bool:
    assigned = event.from_stage is Stage.TRIAGE and facts.stage is not Stage.TRIAGE
    return assigned and facts.visit_category is VisitCategory.RECHECK


def journey_moved(
    desk: DeskState,
    notice: JourneyNotice,
    now: datetime,
    emergency_cleared: BoundAsked = always,
    unplaced_cleared: UnplacedAsked = always_cleared,
    unaccepted_cleared: BoundAsked = always,
    journey_followed: BoundAsked = always,
    reassigned_cleared: BoundAsked = always,
    followed_again: BoundAsked = always,
    ended_cleared: BoundAsked = always,
    taken_followed: BoundAsked = always,
) -> list[DeskEntry]:
    """Stops the 10-minute rule for a client being served or gone, and takes her alerts off the
    board (`alerts.clear_emergency`, each `cleared` as there), her journey's end or her being
    taken outside the desk doing so too for a client the desk did not place. A journey that
    names another consultant than the one she waits for was moved (the supervisor's
    reassignJourney): the desk follows it (`_moved_away`, `journey_followed` as there), and
    each later move of it (`followed_again` as `journey_followed`). So it does for a client
    taken already, placed anew by the supervisor (reassignClient) or taken by her consultant
    (`_moved_from_taken`, `taken_followed` as `journey_followed`). An emergency placed anew is
    in hand at her new consultant's first action (`_taken_after_reassignment`,
    `reassigned_cleared` as there), and gone if her journey ends before
    (`_ended_after_reassignment`, `ended_cleared` as there). Anything else changes nothing (an
    assignment released, or taken already, another desk), nor does a notice of hers heard
    already (`_heard_already`)."""
    assignment = desk.assignments.get(notice.journey_id)
    if assignment is None:
        return _not_placed(desk, notice, now, emergency_cleared, unplaced_cleared)
    if assignment.released or _heard_already(assignment, notice):
        return []
    also = (unplaced_cleared, unaccepted_cleared)
    if assignment.accepted and notice.ended:
        return _ended_after_reassignment(desk, assignment, notice, now, ended_cleared, *also)
    if assignment.accepted and _moved_on(assignment, notice):
        moved_on = (followed_again, reassigned_cleared, *also)
        return _moved_away(desk, assignment, notice, now, *moved_on)
    if assignment.accepted and _moved_from_taken(assignment, notice):
        moved_from = (taken_followed, reassigned_cleared, *also)
        return _moved_away(desk, assignment, notice, now, *moved_from)
    if assignment.accepted:
        return _taken_after_reassignment(desk, assignment, notice, now, reassigned_cleared, *also)
    waited = int((now - assignment.assigned_at).total_seconds() // 60)
    asked = (emergency_cleared, unplaced_cleared, unaccepted_cleared)
    if notice.ended:
        assignment.released, assignment.accept_by = True, None
        clear_emergency(desk, assignment.journey_id, *asked)
        why = (
            f"journey ended ({notice.action}) after {waited} min, before "
            f"{assignment.consultant_id} took the client: released, nobody loses a turn"
        )
        return [assignment_entry(desk, assignment, EntryKind.RELEASED, DESK_ACTOR_ID, now, why)]
    if notice.consultant_id is None:
        return []
    if notice.consultant_id != assignment.consultant_id:
        moved = (journey_followed, reassigned_cleared, *also)
        return _moved_away(desk, assignment, notice, now, *moved)
    if notice.action == Action.REASSIGN.value:
        return []  # the journey named her consultant anew: the desk still waits on them
    assignment.accepted, assignment.accept_by = True, None
    clear_emergency(desk, assignment.journey_id, *asked)
    why = f"accepted after {waited} min: the consultant's first action ({notice.action})"
    return [assignment_entry(desk, assignment, EntryKind.ACCEPTED, notice.consultant_id, now, why)]


def _moved_away(
    desk: DeskState,
    assignment: Assignment,
    notice: JourneyNotice,
    now: datetime,
    journey_followed: BoundAsked,
    reassigned_cleared: BoundAsked,
    unplaced_cleared: UnplacedAsked,
    unaccepted_cleared: BoundAsked,
) -> list[DeskEntry]:
    """Her journey names another consultant than the one she waits for, than the one the desk
    followed it to before, or than the one who has taken her: it was moved (the supervisor's
    reassignJourney, told by the journey at once, or at the new consultant's first action when
    it was moved before it told). The desk follows it as reassignClient places a client anew
    (`overrides.follow_journey`): or its 10-minute rule handed on a client someone else has and
    kept her on the board, or its log, her owner and the revenue credit named another
    consultant than her journey. Told at the new consultant's first action, she is in hand too
    (`_taken_after_reassignment`). `journey_followed`: whether the desk does so (a run recorded
    before kept waiting, or kept her with whoever had her), asked only here."""
    assert notice.consultant_id is not None
    if not journey_followed():
        return []
    entry = follow_journey(
        desk, assignment, notice.consultant_id, now, notice.action, unaccepted_cleared
    )
    if notice.action == Action.REASSIGN.value:
        return [entry]
    also = (unplaced_cleared, unaccepted_cleared)
    return [
        entry,
        *_taken_after_reassignment(desk, assignment, notice, now, reassigned_cleared, *also),
    ]


def _heard_already(assignment: Assignment, notice: JourneyNotice) -> bool:
    """Whether the desk heard this notice of her journey before, or one of a later event: the
    read-model writer's retry sends a notice again after its signal went through. Taken again, a
    supervisor's move told before the supervisor placed her anew (reassignClient) took her back
    from the consultant her journey names since. Otherwise the notice's event is the latest the
    desk heard of for her. A notice without its event's seq (a writer of a release that did not
    send it) is taken as ever."""
    if notice.seq is None:
        return False
    heard = assignment.journey_seq
    if heard is not None and notice.seq <= heard:
        return True
    assignment.journey_seq = notice.seq
    return False


def _moved_on(assignment: Assignment, notice: JourneyNotice) -> bool:
    """Whether the journey of a client the desk placed anew by following her journey names
    another consultant again: moved on by the supervisor (reassignJourney), the desk follows it
    again, or its credit stayed with whoever the journey named first."""
    moved = notice.consultant_id is not None and notice.consultant_id != assignment.consultant_id
    return assignment.follows_journey and moved


def _moved_from_taken(assignment: Assignment, notice: JourneyNotice) -> bool:
    """Whether the supervisor moved the journey of a client taken already (placed anew with
    reassignClient, or taken by her consultant) to another consultant (reassignJourney): the
    supervisor's latest decision stands, so the desk follows it, or its log, her owner and the
    revenue credit would name one consultant while her journey names another. Only the
    supervisor's move: the first action of another consultant is one whom her journey still
    names as the desk's hand-over has not reached it, and the desk's placement stands."""
    moved = notice.consultant_id is not None and notice.consultant_id != assignment.consultant_id
    return notice.action == Action.REASSIGN.value and moved


def _ended_after_reassignment(
    desk: DeskState,
    assignment: Assignment,
    notice: JourneyNotice,
    now: datetime,
    ended_cleared: BoundAsked,
    unplaced_cleared: UnplacedAsked,
    unaccepted_cleared: BoundAsked,
) -> list[DeskEntry]:
    """The journey of an emergency placed anew (reassignClient, or her journey moved) ended
    before her new consultant acted: nobody will take her in hand, and her alerts leave the
    board (`alerts.clear_emergency`), as a waiting client's do when her journey ends. A RELEASED
    entry naming that consultant says so and carries the board to the read model.
    `ended_cleared`: whether the desk does so (a run recorded before kept her alert until its
    midnight), asked only when her EMERGENCY alert stands; nothing for any other client."""
    if not standing(desk, assignment.journey_id, AlertKind.EMERGENCY):
        return []
    before = len(desk.alerts)
    clear_emergency(
        desk, assignment.journey_id, ended_cleared, unplaced_cleared, unaccepted_cleared
    )
    if len(desk.alerts) == before:
        return []
    assignment.released = True
    why = (
        f"journey ended ({notice.action}) before {assignment.consultant_id} took her in hand, "
        "placed anew before: her emergency alert leaves the board"
    )
    return [assignment_entry(desk, assignment, EntryKind.RELEASED, DESK_ACTOR_ID, now, why)]


def _taken_after_reassignment(
    desk: DeskState,
    assignment: Assignment,
    notice: JourneyNotice,
    now: datetime,
    reassigned_cleared: BoundAsked,
    unplaced_cleared: UnplacedAsked,
    unaccepted_cleared: BoundAsked,
) -> list[DeskEntry]:
    """The first action of the consultant who has her since a reassignment (reassignClient, or
    her journey moved) on the journey of an emergency: she is in hand, and her alerts leave the
    board (`alerts.clear_emergency`). An entry says so and carries the board to the read model.
    `reassigned_cleared`: whether the desk does so (a run recorded before kept her alert until
    its midnight), asked only when her EMERGENCY alert stands; nothing for any other client,
    action or consultant."""
    if notice.ended or notice.action == Action.REASSIGN.value:
        return []
    if notice.consultant_id != assignment.consultant_id:
        return []
    if not standing(desk, assignment.journey_id, AlertKind.EMERGENCY):
        return []
    before = len(desk.alerts)
    also = (unplaced_cleared, unaccepted_cleared)
    clear_emergency(desk, assignment.journey_id, reassigned_cleared, *also)
    if len(desk.alerts) == before:
        return []
    why = (
        f"taken in hand by {notice.consultant_id} ({notice.action}), placed anew before: "
        "her emergency alert leaves the board"
    )
    return [assignment_entry(desk, assignment, EntryKind.ACCEPTED, notice.consultant_id, now, why)]


def _not_placed(
    desk: DeskState,
    notice: JourneyNotice,
    now: datetime,
    emergency_cleared: BoundAsked,
    unplaced_cleared: UnplacedAsked,
) -> list[DeskEntry]:
    """A client the desk did not place (no assignment) whose journey ended, or moved on with
    someone: a recheck assigned her treating doctor or nurse (the desk routes a recheck, never
    places her), or a client nobody could take whom staff gave a consultant the desk does not
    seat. Her alerts leave the board, or they called the supervisor until midnight for a client
    gone or in hand. An entry says so and carries the board to the read model at once (its
    version is the log's): RELEASED naming no consultant, or ROUTED naming who has her; nothing
    when no alert of hers stood (or the desk's history kept them)."""
    if notice.ended:
        gone = _cleared(desk, notice.journey_id, emergency_cleared, unplaced_cleared)
        kind, who = EntryKind.RELEASED, None
        why = f"journey ended ({notice.action}) before the desk could place her"
    elif notice.consultant_id is not None:
        # Her being taken outside the desk came with the change that cleared an emergency's
        # UNPLACED alert: a run's history answers that change's question for both her alerts.
        emergency_asked = functools.partial(unplaced_cleared, True)
        gone = _cleared(desk, notice.journey_id, emergency_asked, unplaced_cleared)
        kind, who = EntryKind.ROUTED, notice.consultant_id
        why = f"with {who} ({notice.action}), not placed by the desk"
    else:
        return []
    if gone is None:
        return []
    reason = f"{why}: {gone} leaves the board"
    return [
        new_entry(
            desk, kind, DESK_ACTOR_ID, now, reason, consultant_id=who, journey_id=notice.journey_id
        )
    ]


def _cleared(
    desk: DeskState, journey_id: str, emergency_cleared: BoundAsked, unplaced_cleared: UnplacedAsked
) -> str | None:
    """Takes her alerts off the board (`alerts.clear_emergency`): which left, in the log's words,
    or None when none did."""
    before = len(desk.alerts)
    emergency = bool(standing(desk, journey_id, AlertKind.EMERGENCY))
    clear_emergency(desk, journey_id, emergency_cleared, unplaced_cleared)
    if len(desk.alerts) == before:
        return None
    return "her emergency alert" if emergency else "her unplaced alert"
