"""Photo reminders (seed 003): each point of a procedure type's photo schedule is a task for
the care team, due at its offset from the treatment, settled by a photo uploaded for its stage.

The reminders are derived once, when the treatment is recorded: their due times are known then,
so no timer is needed (a task with a due time is listed by `myTasks` as due or overdue).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.photos.purposes import PhotoStage
from domain.procedures.template import STAGE_OF_CODE, PhotoPoint


@dataclass(frozen=True)
class PhotoReminder:
    code: str
    stage: PhotoStage
    due_at: datetime


def stage_for(point: PhotoPoint) -> PhotoStage:
    if point.code in STAGE_OF_CODE:
        return STAGE_OF_CODE[point.code]
    return PhotoStage.BEFORE if point.offset_days == 0 else PhotoStage.OTHER


def reminders_for(points: Iterable[PhotoPoint], treated_at: datetime) -> list[PhotoReminder]:
    """One reminder per point, due `offset_days` after the treatment (before: at it)."""
    return sorted(
        (
            PhotoReminder(p.code, stage_for(p), treated_at + timedelta(days=p.offset_days))
            for p in points
        ),
        key=lambda r: (r.due_at, r.code),
    )


@dataclass(frozen=True)
class OpenReminder:
    task_id: str
    stage: PhotoStage
    due_at: datetime
    done: bool


def settled_by(reminders: Iterable[OpenReminder], photos: Mapping[PhotoStage, int]) -> list[str]:
    """The reminders that the journey's photos now settle: per stage, as many reminders as there
    are photos of it, earliest due first (two OTHER points need two photos)."""
    left = dict(photos)
    settle: list[str] = []
    for reminder in sorted(reminders, key=lambda r: (r.due_at, r.task_id)):
        if left.get(reminder.stage, 0) <= 0:
            continue
        left[reminder.stage] -= 1
        if not reminder.done:
            settle.append(reminder.task_id)
    return settle
