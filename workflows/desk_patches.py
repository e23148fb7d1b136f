"""The desk's changes of behaviour that a recorded run must replay without: each a
`workflow.patched` id, asked by `workflows.triage` where the change would show. A desk run begun
before a change replays as it ran (the marker is not in its history); a run after takes the change.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow

from domain.triage.calendar import local_day
from domain.triage.desk import DeskState
from domain.triage.entries import DeskEntry
from domain.triage.ledger import close_day, leave_meets_timed_out, open_day, overdue_after_hand_over

# The change after which a journey nobody could take alerts the supervisor once, however often
# it is sent (`domain.triage.service.arrive`): runs recorded before it replay as they ran.
ALERT_ONCE = "desk-alerts-once-per-journey"
# The change after which a new day releases the clients still waiting from the day before
# (`domain.triage.ledger.close_day`): runs recorded before it carried them into the next run.
DAY_RELEASES_WAITING = "desk-day-releases-waiting"
# The change after which a client handed over once by the 10-minute rule and not accepted again
# calls the supervisor (`domain.triage.ledger.expire_overdue`): runs recorded before it handed
# them on every ten minutes.
HAND_OVER_ONCE = "desk-hands-over-once"
# The change after which a client handed on (a leave, or the 10-minute rule in a run before
# HAND_OVER_ONCE) goes to nobody who let them wait that day (`expire_overdue`): runs recorded
# before it could hand them straight back.
SKIP_TIMED_OUT = "desk-hand-on-skips-timed-out"
# The change after which a desk keeps one open alert per journey and kind and at most
# `domain.triage.alerts.ALERTS_KEPT` a day: runs recorded before it kept every alert.
ALERTS_BOUNDED = "desk-alerts-bounded"
# The change after which a stand-in the supervisor names (reassignClient, OWNER_STAND_IN) leaves
# the revenue and the client with the owner (`domain.triage.overrides.reassign`): runs recorded
# before it credited both to the stand-in.
STAND_IN_KEEPS_OWNER = "desk-stand-in-keeps-owner"
# The change after which a stand-in named for a consultant who shares the revenue (a wrong
# assignment's 50/50, a joint review's 30/70) leaves the split as it stood
# (`domain.triage.revenue.stand_in_credit`): runs recorded before it credited the consultant the
# stand-in served for whole, the other share dropped.
STAND_IN_KEEPS_SPLIT = "desk-stand-in-keeps-split"
# The change after which a client marked other goes in order whatever their lead says
# (`domain.triage.purposes.as_counted`): runs recorded before it sent them to the lead's consultant.
OTHER_DROPS_LEAD = "desk-other-drops-lead"

# The change after which a client staff mark an emergency is received first and the supervisor
# alerted (`domain.triage.emergency`): runs recorded before it decided her as any other client.
EMERGENCY_ROUTE = "desk-emergency-route"


# The change after which a client's EMERGENCY alert leaves the board once the emergency is in
# hand (`domain.triage.alerts.clear_emergency`): runs recorded before it kept it all day.
EMERGENCY_ALERT_CLEARED = "desk-emergency-alert-cleared"
# The change after which the UNPLACED alert of an emergency nobody could take leaves the board
# once she is placed, taken in hand or her journey ends, and a recheck's or any unplaced
# emergency's alerts once her journey moves on with someone the desk does not seat
# (`domain.triage.alerts.clear_unplaced`): runs recorded before it kept them all day.
EMERGENCY_UNPLACED_CLEARED = "desk-emergency-unplaced-cleared"
# The change after which the UNPLACED alert of any client leaves the board once she is placed,
# taken in hand or her journey ends or moves on with someone, her EMERGENCY alert standing or
# not, and a VIP placement takes her alerts off (`domain.triage.alerts.clear_unplaced`,
# `domain.triage.overrides.place_vip`): runs recorded before it kept them all day.
UNPLACED_CLEARED = "desk-unplaced-cleared"
# The change after which a client's UNACCEPTED alert leaves the board once the desk no longer
# waits on her assignment: a consultant accepted her (acceptClient, or her consultant's first
# action on her journey), the supervisor placed her anew (reassignClient) or her journey ended
# (`domain.triage.alerts.clear_unaccepted`): runs recorded before it kept them all day.
UNACCEPTED_CLEARED = "desk-unaccepted-cleared"
# The change after which a client waiting for the consultant the desk gave her, whose journey
# another consultant is named on (the supervisor's reassignJourney), is placed anew with that
# consultant as reassignClient places a client, her UNACCEPTED alert leaving the board
# (`domain.triage.notices.journey_moved`, `domain.triage.overrides.follow_journey`): runs
# recorded before it kept waiting on the first consultant, whose 10-minute rule then handed her on.
JOURNEY_REASSIGNED_FOLLOWED = "desk-follows-journey-reassigned"
# The change after which an emergency placed anew (reassignClient, or her journey moved) leaves
# the board at her new consultant's first action on her journey, as she is then in hand
# (`domain.triage.notices.journey_moved`): runs recorded before it kept her alert all day.
REASSIGNED_EMERGENCY_CLEARED = "desk-reassigned-emergency-cleared"
# The change after which a client the desk placed anew by following her journey is followed again
# each time the supervisor moves her journey on (reassignJourney), the revenue credited whole to
# the consultant it names (`domain.triage.notices.journey_moved`): runs recorded before it
# followed the first move only, the credit staying with the consultant of that move.
JOURNEY_FOLLOWED_AGAIN = "desk-follows-journey-again"
# The change after which an emergency placed anew (reassignClient, or her journey moved) leaves
# the board when her journey ends before her new consultant acts, as a RELEASED entry says
# (`domain.triage.notices.journey_moved`): runs recorded before it kept her alert all day.
REASSIGNED_EMERGENCY_ENDED_CLEARED = "desk-reassigned-emergency-ended-cleared"
# The change after which a client taken already (placed anew by the supervisor's reassignClient,
# or taken by her consultant) whose journey the supervisor moves to another consultant
# (reassignJourney) is followed there, the revenue credited whole to the consultant it names
# (`domain.triage.notices.journey_moved`): runs recorded before it kept her with the consultant
# the desk last had her with, the journey naming another.
JOURNEY_TAKEN_FOLLOWED = "desk-follows-journey-of-a-client-taken"


def emergency_route() -> bool:
    """Whether an arrival marked an emergency takes the emergency route: asked only for one
    (`service.arrive`, `batch.arrive_together`), so a history recorded before replays as it ran."""
    return workflow.patched(EMERGENCY_ROUTE)


def stand_in_split() -> bool:
    """Whether a stand-in leaves a split revenue as it stood: asked only for a stand-in on a
    client credited to more than one consultant (`overrides.reassign`), so a history recorded
    before replays as it ran."""
    return workflow.patched(STAND_IN_KEEPS_SPLIT)


def other_drops_lead() -> bool:
    """Whether a client marked other goes in order whatever their lead says: asked only for such
    a client (`purposes.as_counted`), so a history recorded before replays as it ran."""
    return workflow.patched(OTHER_DROPS_LEAD)


class DeskHistory:
    """The questions a desk run asks its history, each where its change would show: a mixin of
    `workflows.triage.TriageDeskWorkflow`, which holds the desk and its timezone."""

    _desk: DeskState
    _timezone: str

    def _alert_once(self) -> bool:
        """Whether a journey nobody could take alerts the supervisor once (`service.arrive`):
        asked at the desk's first arrival of a run, whose history says so on replay."""
        return workflow.patched(ALERT_ONCE)

    def _alerts_bounded(self) -> bool:
        """Whether an alert merges with its journey's open one or drops the oldest: asked only
        when it would (`alerts.raise_alert`), so a history recorded before replays as it ran."""
        return workflow.patched(ALERTS_BOUNDED)

    def _emergency_cleared(self) -> bool:
        """Whether an emergency taken in hand leaves the board: asked only when her EMERGENCY
        alert stands (`alerts.clear_emergency`), so a history recorded before replays as it ran."""
        return workflow.patched(EMERGENCY_ALERT_CLEARED)

    def _unplaced_cleared(self, emergency: bool) -> bool:
        """Whether a client's UNPLACED alert leaves the board once she no longer waits for a
        consultant, and an emergency the desk did not place leaves once she is in hand: asked
        only when her alerts stand (`alerts.clear_unplaced`, `notices.journey_moved`), of the
        change that first cleared it: an emergency's (`emergency`, her EMERGENCY alert
        standing) came before any other client's, so a history recorded between them replays
        as it ran."""
        return workflow.patched(EMERGENCY_UNPLACED_CLEARED if emergency else UNPLACED_CLEARED)

    def _vip_cleared(self) -> bool:
        """Whether a client placed as a VIP leaves the board: asked only when an alert of hers
        stands (`overrides.place_vip`), so a history recorded before replays as it ran."""
        return workflow.patched(UNPLACED_CLEARED)

    def _unaccepted_cleared(self) -> bool:
        """Whether a client's UNACCEPTED alert leaves the board once the desk no longer waits on
        her assignment: asked only when such an alert of hers stands (`alerts.clear_unaccepted`),
        so a history recorded before replays as it ran."""
        return workflow.patched(UNACCEPTED_CLEARED)

    def _journey_followed(self) -> bool:
        """Whether a client whose journey names another consultant than the one she waits for
        is placed anew with them: asked only then (`notices.journey_moved`), so a history
        recorded before replays as it ran."""
        return workflow.patched(JOURNEY_REASSIGNED_FOLLOWED)

    def _reassigned_emergency_cleared(self) -> bool:
        """Whether an emergency placed anew leaves the board at her new consultant's first
        action: asked only when her EMERGENCY alert stands then (`notices.journey_moved`), so a
        history recorded before replays as it ran."""
        return workflow.patched(REASSIGNED_EMERGENCY_CLEARED)

    def _journey_followed_again(self) -> bool:
        """Whether a client the desk followed once is followed again when her journey names
        another consultant: asked only then (`notices.journey_moved`), so a history recorded
        before replays as it ran."""
        return workflow.patched(JOURNEY_FOLLOWED_AGAIN)

    def _reassigned_emergency_ended_cleared(self) -> bool:
        """Whether an emergency placed anew leaves the board when her journey ends before her
        new consultant acts: asked only when her EMERGENCY alert stands then
        (`notices.journey_moved`), so a history recorded before replays as it ran."""
        return workflow.patched(REASSIGNED_EMERGENCY_ENDED_CLEARED)

    def _journey_taken_followed(self) -> bool:
        """Whether a client taken already is placed anew with the consultant the supervisor
        moved her journey to: asked only then (`notices.journey_moved`), so a history recorded
        before replays as it ran."""
        return workflow.patched(JOURNEY_TAKEN_FOLLOWED)

    def _hand_over_once(self, now: datetime) -> bool:
        """Whether a client handed over once and due again calls the supervisor instead of
        going round again: asked only when such a client is due, so a history recorded before
        the rule, which asked nothing there, replays as it ran."""
        return not overdue_after_hand_over(self._desk, now) or workflow.patched(HAND_OVER_ONCE)

    def _skips_timed_out(self, now: datetime) -> bool:
        """Whether a client due is handed past whoever let them wait that day: asked only when
        that changes the pick, so a history recorded before the rule replays as it ran."""
        return not leave_meets_timed_out(self._desk, now) or workflow.patched(SKIP_TIMED_OUT)

    def _new_day(self, now: datetime) -> list[DeskEntry]:
        """The day's end and the next day's opening, whose history says on replay whether the
        day's end released the clients still waiting (asked only when a day opens)."""
        released = close_day(self._desk, now) if workflow.patched(DAY_RELEASES_WAITING) else []
        return [*released, open_day(self._desk, self._local_day(), now)]

    def _local_day(self) -> str:
        return local_day(workflow.now(), self._timezone)
