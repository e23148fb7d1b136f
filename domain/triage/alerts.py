"""The desk's alerts for the supervisor, bounded per day whatever arrives.

Every alert is carried in the desk's state, in each record to the read model and in every board
and staff answer for the rest of the day: unbounded, a busy or abused day (a crowd of arrivals
while every consultant is busy) grew them past Temporal's 2 MB payload limit, after which the
clinic's desk took no change. So the desk keeps one open alert per journey and kind (a repeat
updates it and counts it) and at most ALERTS_KEPT a day, the oldest leaving first and counted
(`DeskState.alerts_dropped`, on the board). The log keeps every alert: each is its own
SUPERVISOR_ALERT entry, whatever the board still shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from domain.triage.desk import Alert, AlertKind, DeskState

# About 40 KB of the desk's state (journey ids as uuids, the desk's usual messages), a fiftieth
# of Temporal's 2 MB: more alerts than a supervisor's screen shows.
ALERTS_KEPT = 200

# Whether the bound applies: a desk workflow answers from its history (`workflow.patched`), so a
# run recorded before the bound replays as it ran. Asked only when the bound changes something.
BoundAsked = Callable[[], bool]


def always() -> bool:
    return True


def raise_alert(desk: DeskState, alert: Alert, bounded: BoundAsked = always) -> None:
    """Puts `alert` on the desk: in place of the open alert of its journey and kind, counting
    the repeat, and dropping the oldest past ALERTS_KEPT."""
    repeat = _open_alert(desk, alert)
    if (repeat is None and len(desk.alerts) < ALERTS_KEPT) or not bounded():
        desk.alerts.append(alert)
        return
    if repeat is not None:
        desk.alerts.remove(repeat)
        alert = replace(alert, raised=repeat.raised + 1)
    # More than one only for a desk carried over from a run that kept them all.
    excess = len(desk.alerts) + 1 - ALERTS_KEPT
    if excess > 0:
        del desk.alerts[:excess]
        desk.alerts_dropped += excess
    desk.alerts.append(alert)


def _open_alert(desk: DeskState, alert: Alert) -> Alert | None:
    if alert.journey_id is None or alert.kind is None:
        return None
    for kept in desk.alerts:
        if (kept.journey_id, kept.kind) == (alert.journey_id, alert.kind):
            return kept
    return None


# Whether a client's UNPLACED alert leaves the board once she no longer waits for a consultant,
# asked with whether her EMERGENCY alert stands: an emergency's left first, any client's after
# (and an emergency's whose EMERGENCY alert had gone), and a desk history answers each from the
# change that made it (`workflow.patched`).
UnplacedAsked = Callable[[bool], bool]


def always_cleared(emergency: bool) -> bool:
    return True


def clear_emergency(
    desk: DeskState,
    journey_id: str,
    cleared: BoundAsked = always,
    unplaced_cleared: UnplacedAsked = always_cleared,
    unaccepted_cleared: BoundAsked = always,
) -> None:
    """Takes the alerts of `journey_id` off the board once she is in hand (her consultant took
    her, or her journey moved on or ended): an EMERGENCY alert left standing until the day's end
    called the supervisor for a client already seen. `cleared`: whether the desk does so (a run
    recorded before kept the alert, and her other ones with it), asked only when such an alert
    stands. Her UNPLACED alert leaves too, an emergency or not (`clear_unplaced`,
    `unplaced_cleared` as there), and her UNACCEPTED one (`clear_unaccepted`,
    `unaccepted_cleared` as there)."""
    emergency = standing(desk, journey_id, AlertKind.EMERGENCY)
    if emergency and not cleared():
        return
    clear_unplaced(desk, journey_id, unplaced_cleared)
    clear_unaccepted(desk, journey_id, unaccepted_cleared)
    _remove(desk, emergency)


def clear_unplaced(
    desk: DeskState, journey_id: str, cleared: UnplacedAsked = always_cleared
) -> None:
    """Takes the UNPLACED alert of `journey_id` off the board: she has been placed since, or
    taken in hand, or her journey left triage or ended, and nobody has to find her a consultant
    any more. Every path by which a client stops waiting for one comes here, but the pick, which
    takes every alert of hers off unasked (`arranged.settle_arranged`). `cleared`: whether the
    desk does so (a run recorded before kept it until the day's end), asked only when the alert
    stands, with whether her EMERGENCY alert stands too."""
    unplaced = standing(desk, journey_id, AlertKind.UNPLACED)
    if unplaced and cleared(bool(standing(desk, journey_id, AlertKind.EMERGENCY))):
        _remove(desk, unplaced)


def clear_unaccepted(desk: DeskState, journey_id: str, cleared: BoundAsked = always) -> None:
    """Takes the UNACCEPTED alert of `journey_id` off the board: the desk no longer waits on her
    assignment, as a consultant accepted her (acceptClient, or her consultant's first action on
    her journey), the supervisor placed her anew (reassignClient) or her journey ended, and
    nobody has to see to her any more. Every path that settles a waiting assignment comes here
    (`clear_emergency` or `overrides.reassign`), but the day's end, whose new day starts the
    board afresh. A client handed on to someone free (her consultant left, or an emergency) still
    waits: hers stands. `cleared`: whether the desk does so (a run recorded before kept it until
    the day's end), asked only when the alert stands."""
    unaccepted = standing(desk, journey_id, AlertKind.UNACCEPTED)
    if unaccepted and cleared():
        _remove(desk, unaccepted)


def standing(desk: DeskState, journey_id: str, kind: AlertKind) -> list[Alert]:
    return [alert for alert in desk.alerts if alert.journey_id == journey_id and alert.kind is kind]


def _remove(desk: DeskState, gone: list[Alert]) -> None:
    desk.alerts = [alert for alert in desk.alerts if all(alert is not g for g in gone)]
