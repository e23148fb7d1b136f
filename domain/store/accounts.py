"""Staff accounts as the token checks see them, and every change that ends their sessions.

Each change that must log an account out (logout everywhere, a new password, deactivation, a new
role) moves `tokens_valid_after` forward: tokens issued before it stop working on their next
request, and open subscriptions are closed (`schema.auth.watch`).
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from domain.auth import AccessToken, AccountState, session_problem
from domain.roles import Role, known_role
from domain.store.models import RevokedToken, StaffAccount
from domain.store.sql import as_models, columns_of, is_postgres, marks


@dataclass(frozen=True)
class AccountLookup:
    account: StaffAccount | None
    token_signed_out: bool
    # The account's clinic's time zone, read with it: most requests ask for the clinic's day.
    clinic_timezone: str | None = None


def state_of(account: StaffAccount | None) -> AccountState | None:
    if account is None:
        return None
    valid_after = account.tokens_valid_after
    return AccountState(
        account.active,
        valid_after.timestamp() if valid_after else None,
        role_known=known_role(account.role) is not None,
    )


@functools.cache
def _look_up_sql(postgres: bool) -> str:
    # In the order they appear: SQLite's `?` are numbered by their place in the text.
    token, account = marks(postgres, 2)
    signed_out = f"(SELECT token_id FROM revoked_token WHERE token_id = {token})"
    zone = "(SELECT timezone FROM clinic WHERE clinic.id = staff_account.clinic_id)"
    columns = ", ".join(columns_of(StaffAccount))
    return (
        f"SELECT {columns}, {signed_out} AS signed_out, {zone} AS clinic_timezone "
        f"FROM staff_account WHERE id = {account}"
    )


async def look_up(token: AccessToken) -> AccountLookup:
    """The token's account, whether the token was signed out and the account's clinic's time
    zone, in one query (every request runs it, so it is SQL made once: see `store.sql`)."""
    connection = StaffAccount._meta.db
    sql = _look_up_sql(is_postgres(connection))
    _, rows = await connection.execute_query(sql, [token.token_id, token.account_id])
    if not rows:
        return AccountLookup(None, False)
    row = dict(rows[0])
    signed_out = row.pop("signed_out") is not None
    timezone = row.pop("clinic_timezone")
    (account,) = as_models(StaffAccount, [row])
    return AccountLookup(account, signed_out, timezone)


async def states(
    account_ids: Collection[str], token_ids: Collection[str]
) -> tuple[dict[str, AccountState], set[str]]:
    """For many sessions at once: each account's state, and which tokens were signed out."""
    rows = await StaffAccount.filter(id__in=list(account_ids)).only(
        "id", "active", "tokens_valid_after", "role"
    )
    signed_out = await RevokedToken.filter(token_id__in=list(token_ids)).values_list(
        "token_id", flat=True
    )
    found = {str(row.id): state_of(row) for row in rows}
    return {key: value for key, value in found.items() if value}, {str(t) for t in signed_out}


async def revoke_tokens(account_id: str, **changes: object) -> datetime:
    """Ends every session of the account (with `changes` applied in the same update)."""
    return await revoke_tokens_as_of(account_id, datetime.now(UTC), changes)


async def revoke_tokens_as_of(
    account_id: str, now: datetime, changes: dict[str, object] | None = None
) -> datetime:
    """Ends every session of the account begun before `now` (with `changes` applied in the
    same update).

    Never moves the instant back: a revocation on a replica whose clock runs behind still
    leaves out every token an earlier revocation ended.
    """
    changes = changes or {}
    later = Q(tokens_valid_after__isnull=True) | Q(tokens_valid_after__lt=now)
    updated = await StaffAccount.filter(later, id=account_id).update(
        tokens_valid_after=now, **changes
    )
    if not updated and changes:
        await StaffAccount.filter(id=account_id).update(**changes)
    return now


async def session_problem_now(token: AccessToken) -> str | None:
    """Inside a writing transaction, after its writes: why the session of `token` no longer
    works, or None while it does. The account's row stays locked until the transaction ends
    (PostgreSQL; SQLite's write transaction holds the whole file), so a revocation committed
    while the request was under way is seen here, and one that comes later waits for the
    commit: a request whose session ended before it wrote writes nothing."""
    account = await StaffAccount.filter(id=token.account_id).select_for_update().first()
    signed_out = await RevokedToken.exists(token_id=token.token_id)
    return session_problem(token, state_of(account), signed_out, time.time())


async def sign_out_token(token: AccessToken) -> None:
    """Ends one session; the row lives until the token would have expired anyway."""
    now = datetime.now(UTC)
    await RevokedToken.filter(expires_at__lt=now).delete()  # keeps the table small
    with contextlib.suppress(IntegrityError):  # signed out already: the same outcome
        await RevokedToken.create(
            token_id=token.token_id,
            account_id=token.account_id,
            expires_at=datetime.fromtimestamp(token.expires_at, UTC),
        )


async def set_password_hash_for_session(
    token: AccessToken, password_hash: str, at: datetime
) -> bool:
    """A password the account chose in the session of `token`: every token of the account, that
    one included, stops working. The account chose it, so the password an administrator set
    (to be changed at the next sign-in) is gone.

    Written only while that session still works (the account active, the token not revoked
    since it was issued): a change whose session an administrator's reset or a deactivation
    ended while the new password was being hashed would otherwise undo the reset. False when
    it was not written."""
    issued = datetime.fromtimestamp(token.issued_at, UTC)
    still_works = Q(tokens_valid_after__isnull=True) | Q(tokens_valid_after__lt=issued)
    changed = await StaffAccount.filter(still_works, id=token.account_id, active=True).update(
        password_hash=password_hash, must_change_password=False
    )
    if changed:
        await revoke_tokens_as_of(token.account_id, at)
    return bool(changed)


async def upgrade_password_hash(account_id: str, old_hash: str, new_hash: str) -> bool:
    """The same password under the current hashing scheme; sessions stay. Only if the hash is
    still `old_hash`, so a password changed meanwhile is never overwritten."""
    return bool(
        await StaffAccount.filter(id=account_id, password_hash=old_hash).update(
            password_hash=new_hash
        )
    )


async def deactivate_account(account_id: str) -> datetime:
    return await revoke_tokens(account_id, active=False)


async def change_role(account_id: str, role: Role) -> datetime:
    return await revoke_tokens(account_id, role=role.value)
