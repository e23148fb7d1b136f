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


def clear_emergency(
    desk: DeskState,
    journey_id: str,
    cleared: BoundAsked = always,
    unplaced_cleared: BoundAsked = always,
) -> None:
    """Takes the EMERGENCY alert of `journey_id` off the board: the emergency is in hand (her
    consultant took her, or her journey moved on or ended), and an alert left standing until
    the day's end called the supervisor for a client already seen. `cleared`: whether the desk
    does so (a run recorded before kept the alert), asked only when such an alert stands. Her
    UNPLACED alert leaves with it (`clear_unplaced_emergency`, `unplaced_cleared` as there)."""
    standing = _standing(desk, journey_id, AlertKind.EMERGENCY)
    if standing and cleared():
        clear_unplaced_emergency(desk, journey_id, unplaced_cleared)
        _remove(desk, standing)


def clear_unplaced_emergency(
    desk: DeskState, journey_id: str, cleared: BoundAsked = always
) -> None:
    """Takes the UNPLACED alert of an emergency (her EMERGENCY alert standing) off the board:
    she has been placed since, or taken in hand, or her journey ended, and nobody has to find
    her a consultant any more. `cleared`: whether the desk does so (a run recorded before kept
    it until the day's end), asked only when both her alerts stand. Another client's UNPLACED
    alert is not the emergency route's: it stands as before."""
    unplaced = _standing(desk, journey_id, AlertKind.UNPLACED)
    if unplaced and _standing(desk, journey_id, AlertKind.EMERGENCY) and cleared():
        _remove(desk, unplaced)


def _standing(desk: DeskState, journey_id: str, kind: AlertKind) -> list[Alert]:
    return [alert for alert in desk.alerts if alert.journey_id == journey_id and alert.kind is kind]


def _remove(desk: DeskState, gone: list[Alert]) -> None:
    desk.alerts = [alert for alert in desk.alerts if all(alert is not g for g in gone)]
