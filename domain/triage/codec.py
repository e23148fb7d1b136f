"""JSON form of the desk, for the read model's board snapshot (and back, for the board query)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from domain.journey.stages import VisitCategory
from domain.triage.desk import Alert, AlertKind, Assignment, DeskState, MakeUp, Seat, SeatStatus
from domain.triage.entries import DeskEntry
from domain.triage.policy import CompanionRule, RotationPolicy


def plain(value: Any) -> Any:
    """The JSON form of a desk value: enums by value, instants in ISO form, dataclasses as
    dicts of their fields. Field by field rather than through `asdict`, whose deep copy of every
    value made a desk of 500 assignments cost about 55 ms per record (the same JSON)."""
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in _field_names(type(value))}
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def desk_to_json(desk: DeskState, assignments: Iterable[str] | None = None) -> dict[str, Any]:
    """The desk's JSON form; with `assignments`, only those keys of its assignments."""
    if assignments is None:
        data: dict[str, Any] = plain(desk)
        return data
    parts = {name: getattr(desk, name) for name in _field_names(DeskState) if name != "assignments"}
    chosen = {key: plain(desk.assignments[key]) for key in assignments}
    return {**plain(parts), "assignments": chosen}


def entry_details(entry: DeskEntry) -> dict[str, Any]:
    """What a log row keeps besides its columns: skips, credits, route and ownership."""
    keep = (
        "from_consultant_id",
        "category",
        "route",
        "skips",
        "credits",
        "transfers_ownership",
        "owner_id",
        "item",
    )
    data: dict[str, Any] = plain({name: getattr(entry, name) for name in keep})
    if entry.rule:
        data["rule"] = entry.rule
    if entry.back_to_triage:
        data["back_to_triage"] = True
    return data


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def policy_from_json(data: dict[str, Any]) -> RotationPolicy:
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in _known(RotationPolicy, data).items()
    }
    if "companions" in values:
        values["companions"] = CompanionRule(values["companions"])
    return RotationPolicy(**values)


def _known(cls: type, values: dict[str, Any]) -> dict[str, Any]:
    """The values of `cls`'s fields: a board written by a newer release (a rolling deploy, a
    roll-back) may carry fields this one does not know, and its board must still read."""
    names = _field_names(cls)
    return {name: value for name, value in values.items() if name in names}


def desk_from_json(data: dict[str, Any]) -> DeskState:
    seats = {
        key: Seat(**_known(Seat, {**seat, "status": SeatStatus(seat["status"])}))
        for key, seat in data["seats"].items()
    }
    assignments = {
        key: Assignment(
            **_known(
                Assignment,
                {
                    **a,
                    "category": VisitCategory(a["category"]),
                    "assigned_at": datetime.fromisoformat(a["assigned_at"]),
                    "accept_by": _when(a["accept_by"]),
                },
            )
        )
        for key, a in data["assignments"].items()
    }
    return DeskState(
        clinic_id=data["clinic_id"],
        day=data["day"],
        policy=policy_from_json(data["policy"]),
        rotation=list(data["rotation"]),
        seats=seats,
        next_index=data["next_index"],
        other_index=data["other_index"],
        makeups=[MakeUp(**_known(MakeUp, m)) for m in data["makeups"]],
        assignments=assignments,
        alerts=[_alert(a) for a in data["alerts"]],
        # Boards written before the bound hold every alert of the day and no count.
        alerts_dropped=data.get("alerts_dropped", 0),
        seq=data["seq"],
        key_item_priority=list(data.get("key_item_priority", [])),
    )


def _alert(data: dict[str, Any]) -> Alert:
    """An alert of a board, one written before alerts had kinds and counts too."""
    kind = data.get("kind")
    return Alert(**_known(Alert, {**data, "kind": AlertKind(kind) if kind else None}))
