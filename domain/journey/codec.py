"""JSON form of a journey's facts, for the read model's `journey.facts` column, and the
read-model writer's decoding of the change its workflow sends (the same JSON form: the Temporal
SDK's generic decoder looks up every dataclass's type hints on every call, a few times the cost
of these hand-written ones, and the writer runs before every journey step answers)."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from enum import Enum
from typing import Any

from domain.journey.facts import Actor, FollowUp, JourneyChange, JourneyEvent, JourneyFacts
from domain.journey.stages import (
    ArrivalChannel,
    ConsentKind,
    FollowUpOutcome,
    FollowUpStatus,
    Stage,
    VisitCategory,
)
from domain.journey.stuck_reasons import StuckReason
from domain.roles import Role


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _plain_shallow(value: Any) -> Any:
    """`_plain` for the values a journey's facts hold, without `asdict`'s deep copy first."""
    if isinstance(value, FollowUp):
        return {name: _plain(getattr(value, name)) for name in _FOLLOW_UP_FIELDS}
    if isinstance(value, list):
        return [_plain_shallow(v) for v in value]
    return _plain(value)


_FACT_FIELDS = tuple(f.name for f in fields(JourneyFacts))
_FOLLOW_UP_FIELDS = tuple(f.name for f in fields(FollowUp))


def facts_to_json(facts: JourneyFacts) -> dict[str, Any]:
    # Field by field rather than `_plain(asdict(facts))`: the same JSON at a fraction of the
    # cost (asdict deep-copies every value first), and the writer runs before each step answers.
    return {name: _plain_shallow(getattr(facts, name)) for name in _FACT_FIELDS}


def _follow_up(data: dict[str, Any]) -> FollowUp:
    return FollowUp(
        follow_up_id=data["follow_up_id"],
        label=data["label"],
        due_at=datetime.fromisoformat(data["due_at"]),
        status=FollowUpStatus(data["status"]),
        attempts=data["attempts"],
        outcome=FollowUpOutcome(data["outcome"]) if data["outcome"] else None,
        satisfaction=data["satisfaction"],
    )


def follow_ups_from_json(data: dict[str, Any]) -> list[FollowUp]:
    """The journey's calls alone, from its facts' JSON (none when it holds none)."""
    return [_follow_up(item) for item in data.get("follow_ups") or []]


def facts_from_json(data: dict[str, Any]) -> JourneyFacts:
    entered = data.get("stage_entered_at")
    stuck_since = data.get("stuck_since")
    code = data.get("stuck_reason_code")  # absent from facts kept before the code was
    # Only the fields this release knows: while a deploy rolls, an API of the release before
    # reads facts a newer worker wrote, and a field it does not know must not fail the read.
    known = {name: data[name] for name in _FACT_FIELDS if name in data}
    return JourneyFacts(
        **{
            **known,
            "visit_category": VisitCategory(data["visit_category"]),
            "channel": ArrivalChannel(data["channel"]),
            "stage": Stage(data["stage"]),
            "started_at": datetime.fromisoformat(data["started_at"]),
            "stage_entered_at": datetime.fromisoformat(entered) if entered else None,
            "consents_signed": [ConsentKind(kind) for kind in data["consents_signed"]],
            "follow_ups": [_follow_up(item) for item in data["follow_ups"]],
            "stuck_since": datetime.fromisoformat(stuck_since) if stuck_since else None,
            "stuck_reason_code": StuckReason(code) if code else None,
        }
    )


def event_from_json(data: dict[str, Any]) -> JourneyEvent:
    from_stage = data["from_stage"]
    actor = data["actor"]
    return JourneyEvent(
        journey_id=data["journey_id"],
        seq=data["seq"],
        action=data["action"],
        from_stage=Stage(from_stage) if from_stage else None,
        to_stage=Stage(data["to_stage"]),
        actor=Actor(user_id=actor["user_id"], role=Role(actor["role"])),
        at=datetime.fromisoformat(data["at"]),
        summary=data["summary"],
        record_id=data.get("record_id"),
    )


def change_from_json(data: dict[str, Any], *, whole: bool = False) -> JourneyChange:
    """A `JourneyChange` from its JSON form on the wire (as the Temporal SDK encodes it).
    `whole`: ValueError when its facts hold a field this release does not know, for a reader
    that writes them again (`facts_from_json` would leave the field out). A release that drops
    a field keeps accepting it here, or a change sent before it would be refused by its workers."""
    unknown = sorted(set(data["facts"]) - set(_FACT_FIELDS)) if whole else []
    if unknown:
        raise ValueError(f"facts of a newer release: {', '.join(unknown)}")
    return JourneyChange(event=event_from_json(data["event"]), facts=facts_from_json(data["facts"]))
