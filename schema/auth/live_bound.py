"""One bound of live subscriptions per account across every API process on the database.

The count was kept in each process's memory, so behind a load balancer an account held the
bound on every replica. Now each open subscription holds a lease in the database
(`store.live_leases`), taken under the account's lock when it opens and given back when it ends.
The session watch, which polls once a second while subscriptions are open, renews this process's
leases in one statement a poll, so pushes write nothing. A lease counts for `LEASE_POLLS` polls
after its last renewal: a replica that died (killed, its node lost) gives its accounts' places
back within 30 s, and one whose polls fail for a while (the database blinking, its event loop
held up, a clock some seconds off another replica's) keeps its places through 29 of them.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from domain.store import live_leases

log = logging.getLogger(__name__)
LEASE_POLLS = 30
_HOST_CHARS = 40  # of the host's name in a holder's (64 at most): enough to tell replicas apart


def holder_name() -> str:
    """This API's name on its leases: the host (a pod, a container), the process and a tag of
    its own, so that two APIs of one process (the tests run several) hold apart."""
    return f"{socket.gethostname()[:_HOST_CHARS]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LiveBound:
    """This API's leases: one per open subscription of a signed-in account."""

    def __init__(self, poll_seconds: float, bound: int) -> None:
        self.holder = holder_name()
        self.bound = bound
        self.lease = timedelta(seconds=LEASE_POLLS * poll_seconds)
        self._held: dict[str, str] = {}  # lease id -> account id, of the subscriptions open
        # Leases being written: not stale, should a poll read the table meanwhile.
        self._taking: set[str] = set()
        self._renewals = 0

    async def take(self, account_id: str) -> str | None:
        """A new lease's id; None when the account holds the bound already, on any API."""
        lease_id = uuid.uuid4().hex
        self._taking.add(lease_id)
        try:
            now = datetime.now(UTC)
            until = now + self.lease
            taken = await live_leases.take(
                lease_id, account_id, self.holder, now=now, until=until, bound=self.bound
            )
            if taken:
                self._held[lease_id] = account_id
            return lease_id if taken else None
        finally:
            self._taking.discard(lease_id)

    async def give_back(self, lease_id: str) -> None:
        """Frees the place at once for every API; should the database not answer, the lease
        lapses by itself (this API's next poll drops it, or it expires)."""
        self._held.pop(lease_id, None)
        try:
            await live_leases.give_back(lease_id)
        except Exception:
            log.warning("a live subscription's lease was not given back", exc_info=True)

    async def renew(self) -> None:
        """One poll's renewal, in one statement. Should the table not hold what this API holds,
        it is made to (a lease not given back is dropped, one swept while this API was held up
        past its expiry is written again); once a lease period, the leases of APIs that died
        are swept."""
        now = datetime.now(UTC)
        until = now + self.lease
        stored = await live_leases.renew(self.holder, until)
        # Compared after the table was read, with no await between: a lease being taken, or
        # given back, meanwhile is in the one or the other as it stands.
        stale = stored - self._held.keys() - self._taking
        missing = {key: account for key, account in self._held.items() if key not in stored}
        if stale:
            await live_leases.drop(self.holder, stale)
        # (a subscription may have ended while the stale ones were dropped: its lease stays out)
        missing = {key: account for key, account in missing.items() if key in self._held}
        if missing:
            await live_leases.restore(self.holder, missing, until)
            # One that ended while it was written again was given back before its row was
            # there: dropped now, or its place counted until it expired (no poll follows the
            # last subscription of this API).
            ended = missing.keys() - self._held.keys()
            if ended:
                await live_leases.drop(self.holder, ended)
        if self._renewals % LEASE_POLLS == 0:
            # Should it meet the renewal of a replica held up past its leases' expiry, on the
            # same rows, PostgreSQL may end one of the two as a deadlock: the next poll of each
            # does it again.
            await live_leases.sweep(now)
        self._renewals += 1
