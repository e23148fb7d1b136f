"""The check behind every desk rate: each arrival got exactly one turn, none lost, none doubled.

A rate means nothing if the desk dropped or repeated an arrival to reach it, so after a crowd the
benchmark reads both sides of the desk: the workflow's own state (one assignment per journey, the
seats' counted turns adding up to the counted decisions) and the read model's log (exactly one
ASSIGNED entry per journey, naming the consultant the caller was told). The log lags the answers
by a flush, so it is polled for a bounded time.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass

from bench.operations import BenchError
from domain.store.triage_models import TriageEntry
from domain.triage.desk import DeskState
from domain.triage.entries import EntryKind

LOG_WAIT_SECONDS = 60.0


@dataclass(frozen=True)
class Turn:
    """What one caller heard: its journey went to this consultant, counted or not."""

    journey_id: str
    consultant_id: str
    counted: bool


def check_desk(desk: DeskState, turns: list[Turn]) -> None:
    """The workflow's side: every journey assigned once, to whom its caller was told."""
    problems = []
    heard = Counter(t.journey_id for t in turns)
    doubled = [j for j, n in heard.items() if n > 1]
    if doubled:
        problems.append(f"{len(doubled)} journeys answered twice, e.g. {doubled[:3]}")
    for turn in turns:
        assignment = desk.assignments.get(turn.journey_id)
        if assignment is None:
            problems.append(f"{turn.journey_id} has no assignment on the desk")
        elif assignment.consultant_id != turn.consultant_id:
            problems.append(f"{turn.journey_id}: told {turn.consultant_id}, desk says otherwise")
    counted = sum(t.counted for t in turns)
    seated = sum(seat.turns for seat in desk.seats.values())
    if seated != counted:
        problems.append(f"seats count {seated} turns for {counted} counted arrivals")
    if problems:
        raise BenchError("desk state: " + "; ".join(problems[:5]))


async def check_log(clinic_id: str, turns: list[Turn], wait: float = LOG_WAIT_SECONDS) -> None:
    """The read model's side: exactly one ASSIGNED entry per journey, with its consultant."""
    wanted = {t.journey_id: t.consultant_id for t in turns}
    give_up_at = time.monotonic() + wait
    while True:
        rows = await TriageEntry.filter(
            clinic_id=clinic_id, kind=EntryKind.ASSIGNED.value, journey_id__in=list(wanted)
        ).values_list("journey_id", "consultant_id")
        logged = Counter(journey for journey, _ in rows)
        if len(logged) == len(wanted) or time.monotonic() >= give_up_at:
            break
        await asyncio.sleep(0.2)
    problems = []
    missing = [j for j in wanted if j not in logged]
    if missing:
        problems.append(f"{len(missing)} arrivals missing from the log, e.g. {missing[:3]}")
    doubled = [j for j, n in logged.items() if n > 1]
    if doubled:
        problems.append(f"{len(doubled)} arrivals logged twice, e.g. {doubled[:3]}")
    wrong = [j for j, c in rows if wanted.get(j) != c]
    if wrong:
        problems.append(f"{len(wrong)} logged with another consultant, e.g. {wrong[:3]}")
    if problems:
        raise BenchError("desk log: " + "; ".join(problems))
