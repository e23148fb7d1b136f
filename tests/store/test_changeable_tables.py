"""Every table is append-only unless it is named here with why its rows may change: a new table
that holds clinical, consent, money, photo or audit records and forgets `AppendOnlyModel` (and so
its refusing triggers) fails this test instead of shipping editable."""

from __future__ import annotations

from tortoise import Tortoise

from domain.store.models import AppendOnlyModel

# The tables whose rows change in place, each with the reason it holds nothing that must stay as
# written (what it says is kept, where it matters, in an append-only table beside it).
CHANGEABLE = {
    "active_journey_claim": "a lock: which journey a client has open now",
    "active_recheck_claim": "a lock: the one recheck a client has still to come in",
    "aftercare_setting": "a clinic's after-care choices",
    "audit_chain_head": "the chain's last link; its triggers let it only move forward",
    "clinic": "a clinic's name and settings",
    "clinic_billing": "a clinic's money settings, copied into the rows they shape",
    "clinic_day_off": "a clinic's closed days, a year's list replaced whole",
    "follow_up_task": "a work list; each change of a task is logged in task_change",
    "idempotency_key": "the ledger of requests: a claim is settled in place",
    "journey": "the projection of a journey workflow; its history is journey_event",
    "journey_stage_count": "the supervisor board's counters, kept by the projection",
    "live_subscription_lease": "a lease of a live subscription, renewed while it lasts",
    "receipt_counter": "a counter; its triggers let it only count up by one",
    "revoked_token": "signed-out tokens, kept until they would have expired",
    "staff_account": "an account; its names are kept in staff_name",
    "stage_stay": "the board's stays, written with the event that ended each",
    "triage_board": "the desk's latest snapshot; its entries are triage_entry",
}


def test_every_table_is_append_only_or_named_changeable_with_its_reason() -> None:
    tables = {model._meta.db_table: model for model in Tortoise.apps["models"].values()}
    changeable = {name for name, model in tables.items() if not issubclass(model, AppendOnlyModel)}
    assert changeable - set(CHANGEABLE) == set(), "append-only, or named here with why not"
    assert set(CHANGEABLE) - changeable == set(), "append-only now: no longer changeable"
