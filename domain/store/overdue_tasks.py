"""Which open tasks are overdue, asked of the database: each task by its own rule
(`domain.aftercare.tasks.Lateness`), as one condition on its kind, label and due time, within one
range of the due time (the index on the clinic, status and due time bounds the read)."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q

from domain.aftercare.tasks import Lateness, TaskKind
from domain.store.ward_tasks import WARD_KINDS

CALL = TaskKind.FOLLOW_UP_CALL.value


def _classes(lateness: Lateness, now: datetime) -> list[tuple[Q, datetime, bool]]:
    """The open tasks split by rule: (which tasks, the bound of their due time, strictly), a
    task overdue when its due time is at most the bound (before it, when strictly)."""
    bounds = lateness.bounds(now)
    call_bounds = lateness.call_bounds(now)
    labels = list(call_bounds)
    under_an_hour = Q(kind=CALL, label__endswith="s")
    windowed = Q(Q(kind=CALL, label__in=labels), under_an_hour, join_type="OR")
    plain_call = Q(Q(kind=CALL, label__isnull=True), Q(Q(kind=CALL), ~windowed), join_type="OR")
    ward_and_calls = [kind.value for kind in WARD_KINDS] + [CALL]
    others = Q(Q(kind__not_in=ward_and_calls), plain_call, join_type="OR")
    classes = [(others, bounds[None][0], False)]
    classes += [(Q(kind=kind.value), *bounds[kind]) for kind in WARD_KINDS]
    classes += [(Q(kind=CALL, label=label), bound, False) for label, bound in call_bounds.items()]
    classes.append((under_an_hour, lateness.under_an_hour_bound(now), False))
    return classes


def overdue_filter(lateness: Lateness, now: datetime) -> Q:
    """The open tasks overdue at `now`."""
    classes = _classes(lateness, now)
    late = [
        Q(which, Q(due_at__lt=b) if strict else Q(due_at__lte=b)) for which, b, strict in classes
    ]
    latest = max(bound for _, bound, _ in classes)
    return Q(Q(*late, join_type="OR"), due_at__lte=latest)


def not_overdue_filter(lateness: Lateness, now: datetime) -> Q:
    """The open tasks not overdue at `now`: the complement of `overdue_filter`."""
    classes = _classes(lateness, now)
    ahead = [
        Q(which, Q(due_at__gte=b) if strict else Q(due_at__gt=b)) for which, b, strict in classes
    ]
    earliest = min(bound for _, bound, _ in classes)
    return Q(Q(*ahead, join_type="OR"), due_at__gte=earliest)
