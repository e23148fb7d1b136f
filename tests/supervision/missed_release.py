"""A client the desk assigned just before the clinic's midnight whose journey then missed the
day's-end release: it still names the consultant at CONSULTATION (the fixture `missed`)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store.triage_models import TriageEntry
from domain.triage.entries import EntryKind
from schema.ids import decode_id
from tests.api.harness import Api, Staff, eventually
from tests.api.test_triage_api import AUTO_ASSIGN, _client_at_triage
from workflows import triage_activities

# The clinics the harness creates keep the model's default time zone.
CLINIC_ZONE = ZoneInfo("Europe/Warsaw")
JOURNEY = """
query J($id: ID!) {
  journey(id: $id) {
    ... on Journey { stage consultant { id } history { action actorId summary } }
  }
}"""


async def to_clinic_midnight(env: WorkflowEnvironment) -> timedelta:
    local = (await env.get_current_time()).astimezone(CLINIC_ZONE)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return midnight.astimezone(CLINIC_ZONE) - local


@dataclass(frozen=True)
class MissedRelease:
    clinic: str
    staff: dict[Role, Staff]
    consultants: list[str]
    jid: str
    raw: str
    release: TriageEntry
    update_id: str
    named: Any


async def release_missed(
    api: Api,
    env: WorkflowEnvironment,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> MissedRelease:
    """A client the desk assigned five minutes before the clinic's midnight, whose journey then
    missed the day's-end release: it still names the consultant at CONSULTATION."""
    clinic, staff, consultants, jid = await _client_at_triage(api)
    desk = staff[Role.FRONT_DESK].token
    raw = decode_id(jid, "Journey")
    assert raw is not None
    await env.sleep(await to_clinic_midnight(env) - timedelta(minutes=5))
    first = await api.run(AUTO_ASSIGN, desk, input={"journeyId": jid})
    assert first["autoAssign"]["journey"]["stage"] == "CONSULTATION", first
    named = first["autoAssign"]["journey"]["consultant"]

    # The day ends while the journey does not answer: the record's activity gives up after
    # its (shortened) budget, says so at ERROR, and the journey keeps its consultant. The send
    # never leaves the activity: one Temporal admitted for a stopped worker may still land later
    # (`hand_journey_over`), so stopping the worker would not reliably make the journey miss it.
    async def no_answer(*_args: object, **_kwargs: object) -> None:
        await asyncio.Event().wait()

    monkeypatch.setattr(triage_activities, "HAND_OVERS_BUDGET_SECONDS", 0.2)
    monkeypatch.setattr(triage_activities, "retry_while_refused", no_answer)
    with caplog.at_level(logging.ERROR, logger="temporalio.activity"):
        await env.sleep(timedelta(minutes=6))

        async def told() -> list[str]:
            return [record.getMessage() for record in caplog.records]

        await eventually(
            told,
            lambda said: any(f"could not hand journey {raw} over" in m for m in said),
            timeout=20,
            what="the record's activity giving up on the release",
        )
    monkeypatch.undo()
    release = await TriageEntry.get(journey_id=raw, kind=EntryKind.RELEASED.value)
    update_id = f"desk-{clinic}-{release.day}-{release.seq}"
    stuck = (await api.run(JOURNEY, desk, id=jid))["journey"]
    assert (stuck["stage"], stuck["consultant"]) == ("CONSULTATION", named)
    return MissedRelease(clinic, staff, consultants, jid, raw, release, update_id, named)
