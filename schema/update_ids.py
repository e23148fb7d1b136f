"""Temporal's update id for a step sent with an `idempotencyKey`.

Derived from the key's claim (`records.KeyClaim.seed`: a random salt its first attempt stored),
so every attempt of one request is one update (Temporal runs an update id once per run), while
nothing of the key reaches Temporal's history, not even a digest of it: a client may build its
keys from what it sends (a name, a phone number, a form's content), and Temporal keeps ids and
codes only. A claim written before salts derives from (account, key), as that release did.

Releases before those sent the key as it was given (`account:key`). A retry of a request
such a release sent and never answered (its key claimed, not settled) keeps that id when the
workflow took the update, so Temporal answers it as the first time instead of running it again.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from domain.store import records
from domain.store.records import KeyClaim, KeyState

UpdateRan = Callable[[str], Awaitable[bool]]


def derived_update_id(ledger: KeyClaim | None) -> str:
    """The update id every attempt of the request whose key's claim is `ledger` sends; a fresh
    one without a key."""
    return (
        records.derived_id(ledger.seed, "update") if ledger and ledger.seed else str(uuid.uuid4())
    )


def legacy_update_id(account_id: str, key: str) -> str:
    """The id the earliest releases sent: the key as given."""
    return f"{account_id}:{key}"


async def update_id_for(
    account_id: str, key: str | None, ledger: KeyClaim | None, ran: UpdateRan
) -> str:
    """The id this attempt sends. `ledger`: the key's claim; `ran`: whether the workflow took
    an update of that id and it succeeded (asked only of an unfinished claim's legacy id)."""
    if key and ledger is not None and ledger.state is KeyState.UNFINISHED:
        legacy = legacy_update_id(account_id, key)
        if await ran(legacy):
            return legacy
    return derived_update_id(ledger)


async def update_taken(account_id: str, key: str, ledger: KeyClaim, ran: UpdateRan) -> bool:
    """Whether the workflow took this request's update (`ledger`: its key's claim), under
    either id, and it succeeded."""
    return await ran(derived_update_id(ledger)) or await ran(legacy_update_id(account_id, key))
