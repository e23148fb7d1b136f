"""Staff's own pick for a client the desk could not place: logged and credited like the desk's.

When the owner of a return visit is away and the clinic's policy says the supervisor arranges
the stand-in (`RotationPolicy.stand_in_for_absent_owner` off), the desk calls the supervisor;
the consultant the supervisor then picks serves the client, and the revenue stays with the owner
("业绩算首诊咨询师的业绩"). Any other pick after the desk called for help is the supervisor's
placement: not a rotation turn, credited to the consultant picked.
"""

from __future__ import annotations

from domain.journey.stages import VisitCategory
from domain.triage.decision import Arrival, Decision, Route
from domain.triage.desk import DeskState
from domain.triage.policy import RotationPolicy

_OWNED = (VisitCategory.RETURN_VISIT, VisitCategory.REPEAT_PURCHASE)


def owner_away(desk: DeskState, arrival: Arrival) -> bool:
    """The client has an owner still with the clinic who is not on post to serve them."""
    owned = arrival.category in _OWNED or arrival.owner_from_lead
    if not owned or not arrival.owner_id or arrival.owner_departed:
        return False
    owner = desk.seat(arrival.owner_id)
    return owner is None or not owner.present()


def arranged(
    desk: DeskState, arrival: Arrival, consultant_id: str, policy: RotationPolicy
) -> Decision:
    item = policy.major_item(arrival.items)
    if owner_away(desk, arrival) and arrival.owner_id != consultant_id:
        owner = arrival.owner_id or ""
        reason = "owner away: stand-in arranged by the supervisor, not a turn; revenue to the owner"
        return Decision(
            consultant_id,
            False,
            Route.OWNER_STAND_IN,
            reason,
            policy.label,
            item=item,
            credited_to=(owner,),
            policy_note_id=policy.name_note_id,
        )
    return Decision(
        consultant_id,
        False,
        Route.SUPERVISOR,
        "placed by staff after the desk called the supervisor, not a turn",
        policy.label,
        item=item,
        credited_to=(consultant_id,),
        policy_note_id=policy.name_note_id,
    )


def settle_arranged(desk: DeskState, journey_id: str) -> None:
    """The pick was agreed with the consultant: nothing left to wait for or to alert about. Every
    alert of hers leaves, unasked, of whatever kind (one raised before alerts had kinds too): a
    pick always took them all off the board, so a desk history replays as it ran."""
    assignment = desk.assignments[journey_id]
    assignment.accepted, assignment.accept_by = True, None
    desk.alerts = [alert for alert in desk.alerts if alert.journey_id != journey_id]
