"""Settles what a lost Temporal answer left open, from what Temporal says, never from age.

- A draft no event points at is voided once the journey's workflow answers that it will never
  attach it: a running journey is asked (`settle_drafts`, which from then on refuses the draft),
  an ended one is queried for the records it attached, a missing one attached nothing.
- A claim on a client whose journey has no read-model row is released once Temporal says the
  journey's workflow does not exist, or has closed (it can never run again: journey ids are
  never reused). While it runs, the claim stays.

A question Temporal does not answer in time leaves everything as it was, and is reported.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.exceptions import TemporalError
from temporalio.service import RPCError, RPCStatusCode

from domain.journey.facts import DraftQuestion
from domain.store.claims import CLAIMS, claims_without_journey, release_claim_of_missing_journey
from domain.store.drafts import unsettled_drafts, void_drafts
from workflows.journey import JourneyWorkflow
from workflows.journey_drafts import VOID_RECORDS_KEPT

ASK_TIMEOUT = timedelta(seconds=10)
# Drafts asked about in one question. A journey's unsettled drafts grow with every refused step
# (a client sending one in a loop leaves thousands), and asked all at once they made one update
# past Temporal's 2 MB payload, which no reconciliation could then settle. At most the void
# drafts a journey remembers (`VOID_RECORDS_KEPT`), so none is forgotten by its own question.
QUESTION_SIZE = min(100, VOID_RECORDS_KEPT)
CONCURRENT_QUESTIONS = 20

REFUSED = "the journey's workflow answered that it never attached this draft and will refuse it"
ENDED = "the journey's workflow ended without attaching this draft"
MISSING = "no workflow exists for this journey"


class Outcome(str, Enum):
    VOID = "void"  # drafts: marked void
    ATTACHED = "attached"  # drafts: the workflow attached it; its event is on the way
    RELEASED = "released"  # claims: given up
    KEPT = "kept"  # claims: the journey's workflow exists
    UNANSWERED = "unanswered"  # Temporal did not answer: nothing changed


@dataclass(frozen=True)
class Settlement:
    journey_id: str
    subject: str  # "draft <record id>" or "claim on client <client id>"
    outcome: Outcome
    why: str


async def _status(
    client: Client, journey_id: str, timeout: timedelta
) -> WorkflowExecutionStatus | None:
    """The workflow's status; None when Temporal says it does not exist."""
    handle = client.get_workflow_handle_for(JourneyWorkflow.run, journey_id)
    try:
        description = await handle.describe(rpc_timeout=timeout)
    except RPCError as error:
        if error.status is RPCStatusCode.NOT_FOUND:
            return None
        raise
    return description.status


async def _fates(
    client: Client, journey_id: str, record_ids: list[str], timeout: timedelta
) -> tuple[list[str], list[str], str]:
    """(void, attached, why) as the journey's workflow answers."""
    status = await _status(client, journey_id, timeout)
    if status is None:
        return record_ids, [], MISSING
    handle = client.get_workflow_handle_for(JourneyWorkflow.run, journey_id)
    if status is WorkflowExecutionStatus.RUNNING:
        asked = handle.execute_update(
            JourneyWorkflow.settle_drafts,
            DraftQuestion(record_ids=record_ids),
            id=f"settle-drafts-{uuid.uuid4()}",
        )
        answer = await asyncio.wait_for(asked, timeout.total_seconds())
        return answer.void, answer.attached, REFUSED
    # Ended: it takes no more actions, so what it attached is final.
    facts = await handle.query(JourneyWorkflow.facts, rpc_timeout=timeout)
    attached = [r for r in record_ids if r in facts.attached_records]
    return [r for r in record_ids if r not in attached], attached, ENDED


async def _settle_journey(
    client: Client, journey_id: str, record_ids: list[str], timeout: timedelta
) -> list[Settlement]:
    settled: list[Settlement] = []
    for at in range(0, len(record_ids), QUESTION_SIZE):
        asked = record_ids[at : at + QUESTION_SIZE]
        settled += await _settle_question(client, journey_id, asked, timeout)
    return settled


async def _settle_question(
    client: Client, journey_id: str, record_ids: list[str], timeout: timedelta
) -> list[Settlement]:
    try:
        void, attached, why = await _fates(client, journey_id, record_ids, timeout)
    except (TemporalError, TimeoutError) as error:
        reason = f"Temporal did not answer: {error or type(error).__name__}"
        return [
            Settlement(journey_id, f"draft {r}", Outcome.UNANSWERED, reason) for r in record_ids
        ]
    await void_drafts(void, why)
    return [Settlement(journey_id, f"draft {r}", Outcome.VOID, why) for r in void] + [
        Settlement(journey_id, f"draft {r}", Outcome.ATTACHED, "its event is on the way")
        for r in attached
    ]


async def settle_drafts(
    client: Client,
    journey_ids: Collection[str] | None = None,
    *,
    timeout: timedelta = ASK_TIMEOUT,
) -> list[Settlement]:
    """Asks about every draft no event points at (or those of `journey_ids`)."""
    drafts = await unsettled_drafts(journey_ids)
    gate = asyncio.Semaphore(CONCURRENT_QUESTIONS)

    async def one(journey_id: str, record_ids: list[str]) -> list[Settlement]:
        async with gate:
            return await _settle_journey(client, journey_id, record_ids, timeout)

    answers = await asyncio.gather(*(one(j, r) for j, r in drafts.items()))
    return [settlement for answer in answers for settlement in answer]


async def repair_claims(
    client: Client,
    client_ids: Collection[str] | None = None,
    *,
    timeout: timedelta = ASK_TIMEOUT,
) -> list[Settlement]:
    """Releases each claim whose journey has no read-model row and no running workflow."""
    settled = []
    waiting = [c for model in CLAIMS for c in await claims_without_journey(client_ids, model)]
    for claim in waiting:
        subject = f"claim on client {claim.client_id}"
        try:
            status = await _status(client, claim.journey_id, timeout)
        except TemporalError as error:
            reason = f"Temporal did not answer: {error}"
            settled.append(Settlement(claim.journey_id, subject, Outcome.UNANSWERED, reason))
            continue
        if status is WorkflowExecutionStatus.RUNNING:
            why = "the journey's workflow is running"
            settled.append(Settlement(claim.journey_id, subject, Outcome.KEPT, why))
            continue
        why = MISSING if status is None else f"the journey's workflow has closed ({status.name})"
        if await release_claim_of_missing_journey(claim.client_id, claim.journey_id, type(claim)):
            settled.append(Settlement(claim.journey_id, subject, Outcome.RELEASED, why))
    return settled
