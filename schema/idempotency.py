"""Every mutation's `idempotencyKey`, through one mechanism.

A mutation claims its key before it does any work (`claim`): the ledger row holds a keyed
digest of the mutation's name and input (`domain.idempotency`), and what the claim says decides:
- FIRST or UNFINISHED: do the work, in a way that converges when two attempts of one request
  run (ids derived from the claim, Temporal's update id too: `schema.update_ids`), then `settle`;
- ANSWERED: answer the first result, change nothing;
- REUSED: the key stands for another request (another mutation, or the same one with another
  input): `Conflict`, change nothing.
A mutation whose own checks refuse its input before the claim looks its key up instead
(`refusal_answer`): the same states decide, so a retry is answered as the first time and a
key used for another request is a `Conflict`, whichever check the changed input fails. A
refusal whose mutation never asked the ledger (a check of the input's shape, the input check
before any resolver) is looked up after it, by `schema.keyed_refusals`, the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info
from tortoise.transactions import in_transaction

from domain.idempotency import request_digests, request_fields
from domain.store import records
from domain.store.records import KeyClaim, KeyRequest, KeyState
from schema.context import Context
from schema.errors import Conflict, from_domain

# A mutation's refusal of its input (`NotFound`, `ValidationFailed`, ...), or None for none.
Refusal = TypeVar("Refusal")

KEY_DESCRIPTION = (
    "Any string of 1 to 200 characters, new for each request: a random one (a UUID), never "
    "built from what the request carries; one that shows nothing (spaces) or holds a control "
    "character is refused. A retry with the same key (same account, same input) "
    "answers the first result and changes nothing; the same key with another mutation or "
    "another input is a Conflict."
)


def key_field() -> Any:
    """The `idempotencyKey` field of a mutation input."""
    return strawberry.field(default=None, description=KEY_DESCRIPTION)


def key_of(input_: object) -> str | None:
    """The input's key as sent: an empty one stays empty, for `key_problem` to refuse (it used
    to pass as no key at all on some mutations, unprotected, while others refused it)."""
    key = getattr(input_, "idempotency_key", None)
    return key if isinstance(key, str) else None


def key_request(
    info: Info[Context, None], account_id: str, input_: object, operation: str | None = None
) -> KeyRequest | None:
    """What claiming the input's key asks the ledger (None when the input carries no key).
    `operation`: the mutation's name by default."""
    return request_of(info.context, account_id, operation or info.field_name, input_)


def request_of(
    context: Context, account_id: str, operation: str, input_: object
) -> KeyRequest | None:
    key = key_of(input_)
    if key is None:
        return None
    keys = context.config.signing_keys
    secrets = (keys.current, *keys.previous)
    digests = request_digests(secrets, operation, request_fields(input_))
    return KeyRequest(account_id, key, operation, digests)


def asked(info: Info[Context, None]) -> None:
    """Notes that the mutation at this place of the answer asked the ledger about its key
    itself: `schema.keyed_refusals` then asks nothing more of its answer."""
    info.context.keys_asked.add(tuple(info.path.as_list()))


async def claim(
    info: Info[Context, None], account_id: str, input_: object, operation: str | None = None
) -> KeyClaim | None:
    """None when the input carries no key. `operation`: the mutation's name by default."""
    asked(info)
    request = key_request(info, account_id, input_, operation)
    return await records.claim_key(request) if request is not None else None


async def standing(info: Info[Context, None], account_id: str, input_: object) -> KeyClaim | None:
    """Where this very request stands with its key, claiming nothing, in one lookup: for a
    mutation refused by a bound or a throttle before its claim, which still answers a key used
    for another request (`reused`) and a request answered before (`answered`) as its claim
    would. None without a key, with a malformed one, or one never claimed."""
    asked(info)
    request = key_request(info, account_id, input_)
    if request is None or records.key_problem(request.key) is not None:
        return None
    return await records.key_standing(request)


async def _earlier(
    info: Info[Context, None],
    account_id: str,
    input_: object,
    went_through: Callable[[KeyClaim], Awaitable[bool]] | None,
) -> KeyState | None:
    """Where the request's key stands, claiming nothing, in one lookup: ANSWERED when this very
    request (same account, key, mutation and input) was answered before or, given
    `went_through`, its first attempt's work was done and only its answer was lost (the key
    claimed, never settled: `went_through` says whether that work is there, given the key's
    claim, what the work's ids were derived from: `derived_id`); REUSED when the key stands for
    another request; None otherwise (no key, a key never claimed, work not there)."""
    asked(info)
    request = key_request(info, account_id, input_)
    if request is None or records.key_problem(request.key) is not None:
        return None
    standing = await records.key_standing(request)
    if standing is None:
        return None
    if standing.state is KeyState.UNFINISHED:
        done = went_through is not None and await went_through(standing)
        return KeyState.ANSWERED if done else None
    return standing.state


async def refusal_answer(
    info: Info[Context, None],
    account_id: str,
    input_: object,
    refusal: Refusal,
    *,
    went_through: Callable[[KeyClaim], Awaitable[bool]] | None = None,
) -> Refusal | Conflict | None:
    """What a mutation whose checks refuse its input (`refusal`) answers before its key is
    claimed: `Conflict` when the key stands for another request (as its claim would answer),
    None when this very request was answered before or went through (see `_earlier`), else
    the refusal. None: the request goes on, to be answered as the first time, as its first
    attempt passed the checks: even when one would refuse it now (a rule depending on the
    clinic's settings, on today's date or on a newer release).

    Asked only on that path (no refusal: None, asking nothing), so a request that passes its
    checks pays nothing for it."""
    if refusal is None:
        return None
    earlier = await _earlier(info, account_id, input_, went_through)
    if earlier is KeyState.REUSED:
        return conflict()
    return None if earlier is KeyState.ANSWERED else refusal


async def refusal_or_conflict(
    info: Info[Context, None], account_id: str, input_: object, refusal: Refusal
) -> Refusal | Conflict:
    """For a refusal no attempt of a request could have passed (what it names is not found:
    rows are never deleted): `Conflict` when the key stands for another request, else the
    refusal."""
    earlier = await _earlier(info, account_id, input_, None)
    return conflict() if earlier is KeyState.REUSED else refusal


async def stands_for_another(
    context: Context, account_id: str, operation: str, input_: object
) -> bool:
    """Whether the input's key stands for another request than (operation, input), in one
    lookup that claims nothing; False without a key or with a malformed one (never claimed)."""
    request = request_of(context, account_id, operation, input_)
    if request is None or records.key_problem(request.key) is not None:
        return False
    standing = await records.key_standing(request)
    return standing is not None and standing.state is KeyState.REUSED


async def refusal_or_conflict_by_key(
    info: Info[Context, None], account_id: str, input_: object, refusal: Refusal
) -> Refusal | Conflict:
    """`refusal_or_conflict` for a refusal made before what the key stands for is known
    (`uploadPhoto`'s stands for its file's hash, its client is looked up before the file is
    read): no attempt of this request could have passed it, so a key claimed at all was
    claimed by another request, a `Conflict`."""
    asked(info)
    key = key_of(input_)
    if key is None or records.key_problem(key) is not None:
        return refusal
    return conflict() if await records.key_claimed_at(account_id, key) else refusal


async def answered_before(
    info: Info[Context, None],
    account_id: str,
    input_: object,
    *,
    went_through: Callable[[KeyClaim], Awaitable[bool]] | None = None,
) -> bool:
    """Whether this very request was answered before or went through (see `_earlier`), for a
    mutation that claimed its key already (the claim answered a key used for another request).
    A refusal before the claim asks `refusal_answer`."""
    earlier = await _earlier(info, account_id, input_, went_through)
    return earlier is KeyState.ANSWERED


def reused(ledger: KeyClaim | None) -> bool:
    return ledger is not None and ledger.state is KeyState.REUSED


def unfinished(ledger: KeyClaim | None) -> bool:
    """An earlier attempt of this very request claimed the key and never recorded its answer."""
    return ledger is not None and ledger.state is KeyState.UNFINISHED


def answered(ledger: KeyClaim | None) -> str | None:
    """The first result's id when the same request already finished."""
    if ledger is not None and ledger.state is KeyState.ANSWERED:
        return ledger.result_id
    return None


def conflict() -> Conflict:
    failed = from_domain(records.key_reused())
    assert isinstance(failed, Conflict)
    return failed


def settled_key(account_id: str, input_: object) -> tuple[str, str] | None:
    """The (account, key) a finished request settles; None when the input carries no key."""
    key = key_of(input_)
    return (account_id, key) if key is not None else None


async def settle(account_id: str, input_: object, result_id: str) -> None:
    settled = settled_key(account_id, input_)
    if settled is not None:
        await records.settle_key(*settled, result_id)


async def replace_and_settle(
    account_id: str, input_: object, result_id: str, replace: Callable[[], Awaitable[None]]
) -> None:
    """For a write that replaces a value (a setting, an account's role, a password) rather than
    adding a row its key names: the write and the key's settlement in one transaction. Were the
    answer lost between them, a retry would write the value again over whatever was changed
    since (another supervisor's setting, the password its owner chose), as no row tells it the
    write was done. The key is settled first, and only an attempt that settles it writes: a
    slow attempt that finds it settled by another attempt of its request (its retry, done
    while it waited) writes nothing, or it would undo what was changed since."""
    settled = settled_key(account_id, input_)
    async with in_transaction():
        if settled is None or await records.settle_unsettled(*settled, result_id):
            await replace()


async def replace_setting(
    info: Info[Context, None],
    account_id: str,
    input_: object,
    result_id: str,
    replace: Callable[[], Awaitable[None]],
) -> Conflict | None:
    """A clinic setting's write under its input's key (`replace_and_settle`): done once, then
    None, also when an attempt before did it; a `Conflict` when the key named another input.
    The caller answers the setting as it stands."""
    ledger = await claim(info, account_id, input_)
    if reused(ledger):
        return conflict()
    if answered(ledger) is None:
        await replace_and_settle(account_id, input_, result_id, replace)
    return None


async def settle_first(account_id: str, input_: object, result_id: str) -> str:
    """For a result chosen before the work (a moment, a cut of a log) rather than derived from
    the key: the result that stands, this one unless a racing attempt settled first."""
    settled = settled_key(account_id, input_)
    return await records.settle_key_first(*settled, result_id) if settled else result_id


async def first_asked_at(account_id: str, input_: object) -> datetime:
    """When this request was first made (its key claimed), for a write that acts on what stood
    then: every attempt of the request sees the same moment, so a retry after a lost answer
    does what the first attempt did, not what the records ask of it by now. Without a key (or
    a claim): now."""
    key = key_of(input_)
    claimed = await records.key_claimed_at(account_id, key) if key else None
    return claimed or datetime.now(UTC)


def derived_id(ledger: KeyClaim | None, kind: str) -> str | None:
    """The id of the row (of `kind`) the request whose key's claim is `ledger` creates, the
    same for every attempt of it; None without a claim (no key) or for a key reused for
    another request. Derived from the claim's seed, never from the key alone."""
    return records.derived_id(ledger.seed, kind) if ledger is not None and ledger.seed else None


def result_id(ledger: KeyClaim | None, kind: str) -> str:
    """The id of the row (of `kind`) a mutation adds: the first answer's when the request
    finished before, else the one its key's claim derives (`derived_id`), else (no key) a new
    one."""
    return answered(ledger) or derived_id(ledger, kind) or str(uuid.uuid4())
