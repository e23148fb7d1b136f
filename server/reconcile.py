"""Compares the read model with the journey workflows and reports drift.

The workflow is the source of truth; the read model is written by its local activity, at least
once. Drift means a write was lost or a row was touched by hand: the report says which journey
and what differs, so an operator can replay it (or file a bug), never silently "fix" it.

It also settles what lost Temporal answers left open, from what Temporal says (`server.settle`):
drafts the journeys will never attach are voided, claims of journeys that never started are
released. A question Temporal did not answer counts as drift: the run did not finish its work.

A client the desk released at its day's end whose journey never went back to triage is reported
too (`domain.store.day_end_releases`), for `autoAssign` to send the release again and place them.

The board's per-stage counters are derived from the journey rows alone, so they are checked
against a count of the rows and repaired here; each repaired counter is reported as drift.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

from temporalio.client import (
    Client,
    RPCTimeoutOrCancelledError,
    WorkflowQueryFailedError,
    WorkflowQueryRejectedError,
)
from temporalio.service import RPCError

from domain.journey.facts import JourneyFacts
from domain.journey.table import OWNED
from domain.store.day_end_releases import Release, day_end_releases, missed
from domain.store.db import NO_TLS, DatabaseTls, close_db, open_current_db
from domain.store.drafts import void_but_attached
from domain.store.hand_overs import HandOver, landed, latest_hand_overs
from domain.store.models import Clinic, Journey, JourneyEvent, JourneyStageCount
from domain.store.stage_counts import CounterDrift, check_counters
from server.settle import Outcome, Settlement, repair_claims, settle_drafts
from workflows import search_attributes
from workflows.connect import PLAINTEXT, TemporalSecurity, connect
from workflows.journey import JourneyWorkflow

CONCURRENT_QUERIES = 20
OWNED_STAGES = frozenset(stage.value for stage in OWNED)
# What a journey's query can fail with; one journey that cannot be read is its own drift, and the
# check goes on with the others.
_UNREADABLE = (
    RPCError,
    RPCTimeoutOrCancelledError,
    WorkflowQueryFailedError,
    WorkflowQueryRejectedError,
)


@dataclass(frozen=True)
class Drift:
    journey_id: str
    problem: str


async def _compare(
    client: Client,
    row: Journey,
    gate: asyncio.Semaphore,
    hand_over: HandOver | None,
    release: Release | None,
) -> list[Drift]:
    async with gate:
        handle = client.get_workflow_handle_for(JourneyWorkflow.run, str(row.id))
        try:
            facts = await handle.query(JourneyWorkflow.facts)
        except _UNREADABLE as error:
            return [Drift(str(row.id), f"active in the read model, workflow unreadable: {error}")]
        logged = await _logged_records(str(row.id))
    found = []
    wanted = {
        "stage": (row.stage, facts.stage.value),
        "event_seq": (row.last_event_seq, facts.event_seq),
        "stuck": (row.stuck, facts.stuck_since is not None),
        "consultant": (row.consultant_id, facts.consultant_id),
    }
    for name, (read_model, workflow) in wanted.items():
        if read_model != workflow:
            found.append(
                Drift(str(row.id), f"{name}: read model {read_model!r}, workflow {workflow!r}")
            )
    if logged != facts.attached_records:
        found.append(Drift(str(row.id), _log_difference(logged, facts.attached_records)))
    if hand_over is not None and await _hand_over_missed(hand_over, facts):
        found.append(
            Drift(
                str(row.id),
                f"the desk handed the client to {hand_over.consultant_id} (its {hand_over.day} "
                f"entry {hand_over.seq}); the journey still names {facts.consultant_id}: "
                "reassignJourney hands it over",
            )
        )
    if release is not None and await missed(release, facts):
        found.append(
            Drift(
                str(row.id),
                f"the desk released the client at the end of {release.day} (its entry "
                f"{release.seq}), {release.consultant_id} had not taken them; the journey still "
                "names them: autoAssign sends it back to triage and places the client anew",
            )
        )
    return found


async def _hand_over_missed(hand_over: HandOver, facts: JourneyFacts) -> bool:
    """A hand-over the journey never took: it names someone else, in a stage a consultant owns,
    and never named the hand-over's consultant since (once it did, a later reassignment is a
    decision of its own)."""
    if facts.consultant_id == hand_over.consultant_id or facts.stage.value not in OWNED_STAGES:
        return False
    return not await landed(hand_over)


async def _logged_records(journey_id: str) -> list[str]:
    """The records the read model's log attaches, in the order of its events."""
    rows = JourneyEvent.filter(journey_id=journey_id, record_id__isnull=False).order_by("seq")
    return [str(record) for record in await rows.values_list("record_id", flat=True)]


def _log_difference(logged: list[str], attached: list[str]) -> str:
    """Where the log's records part from the journey's: an event left out or logged by a
    workflow task Temporal lost (`store.projection`), or a row written by hand."""
    at = next(
        (
            n
            for n, (ours, theirs) in enumerate(zip(logged, attached, strict=False))
            if ours != theirs
        ),
        min(len(logged), len(attached)),
    )
    return (
        f"event log: {len(logged)} records logged, the workflow attached {len(attached)}; "
        f"they part at record {at + 1} (read model {_nth(logged, at)}, workflow "
        f"{_nth(attached, at)})"
    )


def _nth(records: list[str], n: int) -> str:
    return records[n] if n < len(records) else "none"


async def find_drift(client: Client, clinic_id: str | None = None) -> list[Drift]:
    """Checks every active journey in the read model, and every running journey workflow."""
    rows, drift = await rows_drift(client, clinic_id)
    known = {str(row.id) for row in rows}
    running_query = 'WorkflowType = "Journey" AND ExecutionStatus = "Running"'
    if clinic_id:
        running_query += f" AND {search_attributes.CLINIC.name} = {json.dumps(clinic_id)}"
    running = client.list_workflows(running_query)
    async for execution in running:
        if execution.id not in known:
            drift.append(Drift(execution.id, "running workflow with no active read-model row"))
    return drift


async def rows_drift(
    client: Client, clinic_id: str | None = None
) -> tuple[list[Journey], list[Drift]]:
    """The active journeys in the read model, and how each differs from its workflow."""
    query = Journey.filter(active=True)
    if clinic_id:
        query = query.filter(clinic_id=clinic_id)
    rows = await query
    gate = asyncio.Semaphore(CONCURRENT_QUERIES)
    owned = [str(row.id) for row in rows if row.stage in OWNED_STAGES]
    hand_overs = await latest_hand_overs(owned)
    releases = await day_end_releases(owned)
    comparisons = (
        _compare(client, r, gate, hand_overs.get(str(r.id)), releases.get(str(r.id))) for r in rows
    )
    return rows, [d for found in await asyncio.gather(*comparisons) for d in found]


class UnknownClinic(LookupError):
    """``--clinic`` names no clinic, journey or stage counter: most likely a mistyped id."""


async def known_clinic(clinic_id: str) -> bool:
    # Journey rows and counters name their clinic by id alone (no foreign key): either is enough.
    return (
        await Clinic.exists(id=clinic_id)
        or await Journey.exists(clinic_id=clinic_id)
        or await JourneyStageCount.exists(clinic_id=clinic_id)
    )


@dataclass
class Reconciliation:
    drift: list[Drift] = field(default_factory=list)
    settled: list[Settlement] = field(default_factory=list)
    counters: list[CounterDrift] = field(default_factory=list)


async def reconcile_with(client: Client, clinic_id: str | None = None) -> Reconciliation:
    """The whole check; with `clinic_id`, the journeys and counters of that clinic only (the
    drafts and claims left open are settled for every clinic either way)."""
    settled = await settle_drafts(client) + await repair_claims(client)
    drift = await find_drift(client, clinic_id)
    drift += [
        Drift(found.journey_id, f"record {found.record_id} is void, yet event {found.seq} uses it")
        for found in await void_but_attached()
    ]
    drift += [
        Drift(s.journey_id, f"{s.subject}: {s.why}")
        for s in settled
        if s.outcome is Outcome.UNANSWERED
    ]
    counters = await check_counters(clinic_id, repair=True)
    drift += [
        Drift(
            f"clinic {c.clinic_id}",
            f"{c.stage} counter (active, stuck) was {c.kept}, the journey rows count "
            f"{c.counted}: repaired",
        )
        for c in counters
    ]
    return Reconciliation(drift=drift, settled=settled, counters=counters)


async def reconcile(
    database_url: str,
    temporal_address: str,
    namespace: str,
    *,
    tls: DatabaseTls = NO_TLS,
    security: TemporalSecurity = PLAINTEXT,
    clinic_id: str | None = None,
) -> Reconciliation:
    await open_current_db(database_url, tls)
    try:
        if clinic_id is not None and not await known_clinic(clinic_id):
            # Checked as a clinic of nothing it would report no drift to a scheduled run forever.
            raise UnknownClinic(f"no clinic, journey or stage counter with the id {clinic_id}")
        client = await connect(temporal_address, namespace, security=security)
        return await reconcile_with(client, clinic_id)
    finally:
        await close_db()
