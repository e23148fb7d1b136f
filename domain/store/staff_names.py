"""Staff members' display names through time (`StaffName`, append-only).

An account's `display_name` is what screens show now; an administrator may change it. A record
of the past must not change with it: a client's copy of who saw their file, asked for again
with the same key, must name a reader as before. So every name an account is given is kept
with the moment it was given, and such records ask for the name in force at their moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from domain.store.models import StaffAccount, StaffName

# An account's first name counts from the beginning: it was its name for anything before.
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)


async def named(account_id: str, name: str) -> None:
    """A new account's name, in force from the beginning."""
    await StaffName.create(account_id=account_id, display_name=name, since=BEGINNING)


async def renamed(account_id: str, old_name: str, new_name: str) -> None:
    """The account is named `new_name` from now on. An account no name was kept for (made
    before names were kept, or not through `administration`) keeps `old_name` for its past."""
    if not await StaffName.exists(account_id=account_id):
        await named(account_id, old_name)
    await StaffName.create(account_id=account_id, display_name=new_name, since=datetime.now(UTC))


class NamesThroughTime:
    """The names of some accounts, each asked for as it stood at a moment."""

    def __init__(self, kept: Iterable[StaffName], current: dict[str, str]) -> None:
        self._kept: dict[str, list[tuple[datetime, str]]] = {}
        for row in sorted(kept, key=lambda row: (row.since, row.id)):
            self._kept.setdefault(row.account_id, []).append((row.since, row.display_name))
        self._current = current

    def at(self, account_id: str, moment: datetime) -> str | None:
        """The name in force at `moment`: the latest given at or before it; for an account no
        name was kept for, its name now (it was never renamed); None for no such account."""
        name = None
        for since, given in self._kept.get(account_id, ()):
            if since > moment:
                break
            name = given
        return name if name is not None else self._current.get(account_id)


async def names_through_time(account_ids: Iterable[str]) -> NamesThroughTime:
    wanted = set(account_ids)
    kept = await StaffName.filter(account_id__in=wanted)
    current = dict(await StaffAccount.filter(id__in=wanted).values_list("id", "display_name"))
    return NamesThroughTime(kept, {str(k): str(v) for k, v in current.items()})
