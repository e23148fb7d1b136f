"""Clinical records attached to journey actions, and the idempotency ledger of mutations."""

from __future__ import annotations

import functools
import re
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from domain.errors import Conflict, FieldProblem, FieldProblemCode
from domain.store.models import IdempotencyKey, JourneyRecord, JourneyRecordVoid
from domain.store.one_trip import Plan, Unread, in_one_trip
from domain.store.sql import db_values, insert, is_postgres, marks

_DRAFT_COLUMNS = ("id", "journey_id", "kind", "body", "author_id", "created_at")


@functools.cache
def _draft_sql(postgres: bool) -> str:
    # An earlier attempt of the same request may have written it: that one stands.
    return insert(postgres, "journey_record", _DRAFT_COLUMNS, unique="id")


@dataclass(frozen=True)
class Draft:
    """What staff recorded for a step, to keep as a draft before the journey decides."""

    journey_id: str
    kind: str
    body: dict[str, Any]
    author_id: str
    # The request's own id for it (derived from its key's claim: `claimed_draft`): every
    # attempt of one request writes the same draft. A worker lost after its step's read-model
    # write, before Temporal kept the step, leaves an event naming the draft; the retry's
    # step, under the same seq, names the same one, so the read model and the journey agree
    # (a fresh id per attempt left the read model naming a record the journey never attached,
    # for good).
    id: str | None = None


DRAFT_KIND = "draft"  # the kind of id (`derived_id`) a step's draft is named by


def claimed_draft(draft: Draft, claim: KeyClaim | None) -> Draft:
    """`draft` named by its request's claim (the same for every attempt of the request); as it
    was without a claim (no key), or when the key stands for another request."""
    if claim is None or not claim.seed:
        return draft
    return replace(draft, id=derived_id(claim.seed, DRAFT_KIND))


def draft_plan(postgres: bool, draft: Draft) -> Plan[str]:
    """Writes `draft` as a draft record and returns its id; the journey's own event attaches
    it (see `store.drafts`: a draft is never deleted, whatever the journey answers). One
    statement standing alone: run it with `atomic=False` (see `store.one_trip`)."""
    record_id = draft.id or str(uuid.uuid4())
    row = {
        "id": record_id,
        "journey_id": draft.journey_id,
        "kind": draft.kind,
        "body": draft.body,
        "author_id": draft.author_id,
        "created_at": datetime.now(UTC),
    }
    yield _draft_sql(postgres), db_values(JourneyRecord, row, _DRAFT_COLUMNS)
    return record_id


async def draft_record(
    journey_id: str,
    kind: str,
    body: dict[str, Any],
    author_id: str,
    record_id: str | None = None,
) -> str:
    """Writes what staff recorded as a draft (`draft_plan`) on its own, under `record_id` when
    the request has one; a journey step writes it in the trip that reads the journey's row
    (`store.step_trips`)."""
    draft = Draft(journey_id, kind, body, author_id, record_id)
    return await in_one_trip(
        JourneyRecord, lambda db: draft_plan(is_postgres(db), draft), atomic=False
    )


MAX_KEY_LENGTH = 200
# What no text column stores: NUL (PostgreSQL refuses it) and unpaired surrogates (no UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Ids derived from a claim's seed (`KeyClaim.seed`) live in a UUID namespace of their own.
_DERIVED_IDS = uuid.UUID("0b6f3d2e-9a41-4c55-8e0f-3f1d2c7a9b64")


def key_problem(key: str | None) -> FieldProblem | None:
    """A client's idempotency key must fit the ledger (and Temporal's update id): a key that
    cannot be stored was never claimed, and is never looked up."""
    if key is not None and not 1 <= len(key) <= MAX_KEY_LENGTH:
        code = FieldProblemCode.REQUIRED if not key else FieldProblemCode.TOO_LONG
        return FieldProblem("idempotencyKey", f"1 to {MAX_KEY_LENGTH} characters", code)
    if key is not None and _UNSTORABLE.search(key):
        unstorable = "contains a NUL character or an unpaired surrogate"
        return FieldProblem("idempotencyKey", unstorable, FieldProblemCode.BAD_FORMAT)
    return None


class KeyState(Enum):
    """Where a request stands with its idempotency key."""

    FIRST = "first"  # this call claimed the key: do the work, then `settle_key`
    # The same request claimed it earlier (a retry after a lost answer, or a call running
    # beside this one) and no result is recorded: do the work again, idempotently (derived
    # ids, Temporal's update id derived from the key), so both converge on one result.
    UNFINISHED = "unfinished"
    ANSWERED = "answered"  # the same request finished: answer `result_id`, change nothing
    REUSED = "reused"  # the key stands for another request: `Conflict`


@dataclass(frozen=True)
class KeyClaim:
    state: KeyState
    result_id: str = ""
    # What the ids of the request's rows (and its journey, its Temporal update) are derived
    # from (`derived_id`), the same for every attempt of it: the random salt its first attempt
    # stored with the claim, so an id tells nothing of the key (a client may build its keys
    # from what it sends) and cannot be matched against a guessed one. A claim written by a
    # release before salts has none: its seed is (account, key), as its ids were derived then,
    # so its retry converges on what its first attempt made. Empty for a `REUSED` key (the
    # seed is another request's).
    seed: str = field(default="", compare=False)


# Every mutation claims and settles its key: SQL made once per database (see `store.sql`).
_CLAIM_COLUMNS = ("account_id", "key", "operation", "digest", "result_id", "salt", "created_at")


@functools.cache
def _claim_sql(postgres: bool) -> str:
    return insert(postgres, "idempotency_key", _CLAIM_COLUMNS, unique='account_id, "key"')


@functools.cache
def _claimed_sql(postgres: bool) -> str:
    account, key = marks(postgres, 2)
    return (
        "SELECT operation, digest, result_id, salt FROM idempotency_key"
        f' WHERE account_id = {account} AND "key" = {key}'
    )


@functools.cache
def _settle_sql(postgres: bool) -> str:
    result, account, key = marks(postgres, 3)
    return (
        f"UPDATE idempotency_key SET result_id = {result}"
        f' WHERE account_id = {account} AND "key" = {key}'
        " AND result_id = ''"
    )


@dataclass(frozen=True)
class KeyRequest:
    """A request's claim on its key: `digests` are its digest under the current server secret
    first, then under the previous ones."""

    account_id: str
    key: str
    operation: str
    digests: Sequence[str]


def claim_plan(postgres: bool, request: KeyRequest) -> Plan[KeyClaim]:
    """Claims the key before any work is done, so two requests racing with one key cannot
    both act: the unique (account, key) row decides which one it stands for. Each statement
    stands alone: run it with `atomic=False` (see `store.one_trip`)."""
    salt = new_salt()
    row = {
        "account_id": request.account_id,
        "key": request.key,
        "operation": request.operation,
        "digest": request.digests[0],
        "result_id": "",
        "salt": salt,
        "created_at": datetime.now(UTC),
    }
    if (yield _claim_sql(postgres), db_values(IdempotencyKey, row, _CLAIM_COLUMNS)):
        return KeyClaim(KeyState.FIRST, seed=_seed(salt, request))
    held = (yield _claimed_sql(postgres), [request.account_id, request.key])[0]
    return _held_claim(held, request)


def new_salt() -> str:
    """A claim's salt: 128 random bits, as hex."""
    return secrets.token_hex(16)


def _seed(salt: str | None, request: KeyRequest) -> str:
    """A claim's seed (`KeyClaim.seed`): its salt, or (account, key) for a claim without."""
    return salt or f"{request.account_id}:{request.key}"


def _held_claim(held: Mapping[str, Any], request: KeyRequest) -> KeyClaim:
    """What the ledger's row for the key says to `request`, which did not write it."""
    if not _same_request(held, request):
        return KeyClaim(KeyState.REUSED)
    seed = _seed(held["salt"], request)
    if held["result_id"]:
        return KeyClaim(KeyState.ANSWERED, held["result_id"], seed)
    return KeyClaim(KeyState.UNFINISHED, seed=seed)


def _same_request(held: Mapping[str, Any], request: KeyRequest) -> bool:
    """Whether the ledger's row for the key stands for `request` (same mutation, same input)."""
    return held["operation"] == request.operation and (
        held["digest"] is None or held["digest"] in request.digests
    )


def standing_plan(postgres: bool, request: KeyRequest) -> Plan[KeyClaim | None]:
    """Where this very request stands with its key (None: never claimed); claims nothing."""
    held = yield _claimed_sql(postgres), [request.account_id, request.key]
    return _held_claim(held[0], request) if held else None


def settle_plan(postgres: bool, account_id: str, key: str, result_id: str) -> Plan[None]:
    """Records what the request produced; a retry that finished first already did. Nothing
    reads it back: on PostgreSQL it rides with the plan's next statement (`Unread`)."""
    yield Unread(_settle_sql(postgres), [result_id, account_id, key])


def settled_first_plan(postgres: bool, account_id: str, key: str, result_id: str) -> Plan[str]:
    """Settles the key unless an attempt of the same request settled it first, and answers the
    result that stands: of attempts racing with one key, the first to settle decides. Not an
    `Unread` write: folded into the read after it, PostgreSQL's read would not see it."""
    yield _settle_sql(postgres), [result_id, account_id, key]
    held = (yield _claimed_sql(postgres), [account_id, key])[0]
    return str(held["result_id"])


async def settle_key_first(account_id: str, key: str, result_id: str) -> str:
    return await in_one_trip(
        IdempotencyKey,
        lambda db: settled_first_plan(is_postgres(db), account_id, key, result_id),
        atomic=False,
    )


async def claim_key(request: KeyRequest) -> KeyClaim:
    return await in_one_trip(
        IdempotencyKey, lambda db: claim_plan(is_postgres(db), request), atomic=False
    )


async def key_standing(request: KeyRequest) -> KeyClaim | None:
    return await in_one_trip(
        IdempotencyKey, lambda db: standing_plan(is_postgres(db), request), atomic=False
    )


async def settle_key(account_id: str, key: str, result_id: str) -> None:
    await in_one_trip(
        IdempotencyKey,
        lambda db: settle_plan(is_postgres(db), account_id, key, result_id),
        atomic=False,
    )


async def settle_unsettled(account_id: str, key: str, result_id: str) -> bool:
    """Settles the key in the caller's transaction; False when an attempt of the same request
    settled it first (the row is locked until the transaction ends, so of two attempts one
    settles, the other waits and finds it settled)."""
    unsettled = IdempotencyKey.filter(account_id=account_id, key=key, result_id="")
    return bool(await unsettled.update(result_id=result_id))


async def claim_of_draft(
    account_id: str, operation: str, draft_id: str, journey_id: str
) -> KeyClaim | None:
    """The claim of the key whose request (`account_id`'s `operation` on the journey
    `journey_id`) named its step's draft `draft_id` (`claimed_draft`): UNFINISHED, or ANSWERED
    with the journey as its result. None when no claim derives that draft: a request without a
    key, or one made before drafts were named by their claim."""
    # A journey step's key settles with the journey's id: only this journey's claims, and the
    # account's unfinished ones, can be the step's.
    claims = IdempotencyKey.filter(
        account_id=account_id, operation=operation, result_id__in=["", journey_id]
    )
    for row in await claims:
        seed = row.salt or f"{row.account_id}:{row.key}"  # as `_seed` derives it
        if derived_id(seed, DRAFT_KIND) == draft_id:
            state = KeyState.ANSWERED if row.result_id else KeyState.UNFINISHED
            return KeyClaim(state, row.result_id, seed)
    return None


async def key_claimed_at(account_id: str, key: str) -> datetime | None:
    """When the key was first claimed: the moment its request was first made, the same for
    every attempt of it (None: never claimed)."""
    claim = await IdempotencyKey.get_or_none(account_id=account_id, key=key)
    return claim.created_at if claim is not None else None


def derived_id(seed: str, kind: str) -> str:
    """The id of what a request whose claim has `seed` (`KeyClaim.seed`) creates: every
    attempt of one request names one row. A seed of a claim written before salts is
    "account:key", which derives the id that release derived."""
    return str(uuid.uuid5(_DERIVED_IDS, f"{kind}:{seed}"))


async def opening_record_id(journey_id: str) -> str:
    """The id of a journey's reception record: one per journey, so attempts of one start
    (which name one journey) write one record; a fresh one if reconciliation voided it (a start
    that never reached Temporal, retried after)."""
    record_id = str(uuid.uuid5(_DERIVED_IDS, f"reception:{journey_id}"))
    if await JourneyRecordVoid.exists(record_id=record_id):
        return str(uuid.uuid4())
    return record_id


def key_reused() -> Conflict:
    return Conflict("this idempotency key was used for another request")
