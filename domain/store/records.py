"""Clinical records attached to journey actions, and the idempotency ledger of mutations."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from tortoise.exceptions import IntegrityError

from domain.errors import Conflict, FieldProblem
from domain.store.models import IdempotencyKey, JourneyRecord


async def draft_record(journey_id: str, kind: str, body: dict[str, Any], author_id: str) -> str:
    """Writes what staff recorded as a draft; the journey's own event attaches it (see
    `store.drafts`: a draft is never deleted, whatever the journey answers)."""
    record = await JourneyRecord.create(
        id=str(uuid.uuid4()), journey_id=journey_id, kind=kind, body=body, author_id=author_id
    )
    return str(record.id)


MAX_KEY_LENGTH = 200


def key_problem(key: str | None) -> FieldProblem | None:
    """A client's idempotency key must fit the ledger (and Temporal's update id)."""
    if key is not None and not 1 <= len(key) <= MAX_KEY_LENGTH:
        return FieldProblem("idempotencyKey", f"1 to {MAX_KEY_LENGTH} characters")
    return None


async def remembered_result(account_id: str, key: str) -> IdempotencyKey | None:
    return await IdempotencyKey.get_or_none(account_id=account_id, key=key)


async def remember_result(account_id: str, key: str, operation: str, result_id: str) -> None:
    # A concurrent retry with the same key may get there first: both produced one result.
    with contextlib.suppress(IntegrityError):
        await IdempotencyKey.create(
            account_id=account_id, key=key, operation=operation, result_id=result_id
        )


def key_reused() -> Conflict:
    return Conflict("this idempotency key was used for another request")
