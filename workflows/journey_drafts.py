"""What a journey answers reconciliation about drafts no event in the read model points at."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.journey.facts import DraftAnswer, DraftQuestion, JourneyFacts

# How many voided drafts a journey remembers, the latest. A void draft matters here only while an
# attempt that read it unvoided may still reach the journey: that request's own seconds (a retry
# after them finds the void in the database and is refused there, `schema.journeys.actions`).
# Kept whole, the list grew with every refused step of a journey's life and travelled in every
# change and continue-as-new; an attempt past it all the same would attach a draft the database
# holds void, which reads let attachment win and reconcile reports.
VOID_RECORDS_KEPT = 500


def settle(facts: JourneyFacts, in_flight: set[str], question: DraftQuestion) -> DraftAnswer:
    """Each draft the journey attached, or an accepted action is about to attach (`in_flight`),
    is named attached; every other one is void from now on in `facts` (an action carrying it is
    refused), so the database may mark it void without guessing."""
    attached, void = [], []
    for record_id in question.record_ids:
        if record_id in facts.attached_records or record_id in in_flight:
            attached.append(record_id)
            continue
        void.append(record_id)
        if record_id not in facts.void_records:
            facts.void_records.append(record_id)
    del facts.void_records[:-VOID_RECORDS_KEPT]
    return DraftAnswer(attached=attached, void=void)
