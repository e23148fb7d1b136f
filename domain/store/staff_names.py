"""Staff members' display names through time (`StaffName`, append-only).

An account's `display_name` is what screens show now; an administrator may change it. A record
of the past must not change with it: a client's copy of who saw their file, asked for again
with the same key, must name a reader as before. So every name an account is given is kept, and
such records ask for the name in force when each audit entry was written.

"When" is told by the clinic's audit chain, not by clocks: a rename locks the chain's head and
notes its seq, so an entry of that clinic is before the rename exactly when its seq is not above
it (an entry appended meanwhile waits for the rename's commit). Clocks of two API replicas may
disagree, and a rename not yet committed would be read differently before and after its commit.
An entry of another clinic's chain (an account reading across clinics) falls back to the time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from domain.staff_ids import account_named as account_named  # the store's readers name it here
from domain.store.audit_models import AuditChainHead
from domain.store.models import StaffAccount, StaffName

# An account's first name counts from the beginning: it was its name for anything before.
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)


async def named(account: StaffAccount) -> None:
    """A new account's name, in force from the beginning."""
    await _keep(account, account.display_name, BEGINNING, 0)


async def renamed(account_id: str, new_name: str) -> None:
    """The account is named `new_name` from now on. Call inside the transaction that renames
    it: the account's row and its clinic's audit chain head stay locked until it commits."""
    account = await StaffAccount.filter(id=account_id).select_for_update().first()
    if account is None:
        return
    head = await AuditChainHead.filter(clinic_id=account.clinic_id).select_for_update().first()
    after_seq, now = (head.seq if head else 0), _now()
    kept = await StaffName.filter(account_id=account_id).order_by("-id").first()
    if kept is None:  # made before names were kept, or not through `administration`
        await named(account)
    elif kept.display_name != account.display_name:
        # Renamed by code that kept no name (a release before, during a deploy): its moment is
        # unknown, so it counts from now; the name kept before it covers the time between.
        await _keep(account, account.display_name, now, after_seq)
    if new_name != account.display_name:
        await _keep(account, new_name, now, after_seq)


async def _keep(account: StaffAccount, name: str, since: datetime, after_seq: int) -> None:
    await StaffName.create(
        account_id=account.id,
        clinic_id=account.clinic_id,
        display_name=name,
        since=since,
        after_seq=after_seq,
    )


class NamesThroughTime:
    """The names of some accounts, each asked for as it stood at an audit entry."""

    def __init__(self, kept: Iterable[StaffName], current: dict[str, str]) -> None:
        self._kept: dict[str, list[StaffName]] = {}
        for row in sorted(kept, key=lambda row: row.id):  # in the order they were given
            self._kept.setdefault(row.account_id, []).append(row)
        self._current = current

    def at(self, account_id: str, clinic_id: str, seq: int, moment: datetime) -> str | None:
        """The name in force at the entry `seq` of `clinic_id`'s chain, written at `moment`:
        the latest given before it; for an account no name was kept for, its name now (it was
        never renamed since names are kept); None for no such account."""
        name = None
        for row in self._kept.get(account_id, ()):
            given_before = (
                row.after_seq < seq if row.clinic_id == clinic_id else row.since <= moment
            )
            if given_before:
                name = row.display_name
        return name if name is not None else self._current.get(account_id)

    def at_moment(self, account_id: str, moment: datetime) -> str | None:
        """The name in force at `moment` by the clocks, for a record that is no audit entry (a
        treatment's team, named at its journey event's time); as `at` otherwise. No clinic's
        chain is named, so every rename counts from the time it was made."""
        return self.at(account_id, "", 0, moment)


async def names_through_time(account_ids: Iterable[str]) -> NamesThroughTime:
    wanted = set(account_ids)
    kept = await StaffName.filter(account_id__in=wanted)
    current = await StaffAccount.filter(id__in=wanted).values_list("id", "display_name")
    return NamesThroughTime(kept, {str(key): str(name) for key, name in current})
