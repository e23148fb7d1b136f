"""The desk's changes of behaviour that a recorded run must replay without: each a
`workflow.patched` id, asked by `workflows.triage` where the change would show. A desk run begun
before a change replays as it ran (the marker is not in its history); a run after takes the change.
"""

from __future__ import annotations

from temporalio import workflow

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
# The change after which a client marked other goes in order whatever their lead says
# (`domain.triage.purposes.as_counted`): runs recorded before it sent them to the lead's consultant.
OTHER_DROPS_LEAD = "desk-other-drops-lead"


def other_drops_lead() -> bool:
    """Whether a client marked other goes in order whatever their lead says: asked only for such
    a client (`purposes.as_counted`), so a history recorded before replays as it ran."""
    return workflow.patched(OTHER_DROPS_LEAD)
