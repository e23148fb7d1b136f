"""Sign-in throttling with exponential back-off, per username at an address, per address, and
per username across all addresses.

Each counts failed attempts. After a few free ones, every further failure makes the next
attempt wait twice as long as the last (1 s, 2 s, 4 s, ... up to a cap). Failures leak away,
one per `forgive_every` seconds, so occasional typos never add up to a lock. A refused attempt
costs no password hashing and does not lengthen the wait. An attempt is counted when it is
admitted, before its password is checked, so a thousand attempts sent at once are admitted
only as far as the free ones go; a success then takes its own count back.

The strict limit is per username at one address: guesses from one address make only that
address wait, so a stranger cannot lock a member of staff out of the clinic by guessing their
password. A looser limit per username across all addresses still slows a guesser spread over
many addresses; it engages only after the free attempts of several addresses and its waits are
short. While such a guesser keeps it engaged, the account's owner is refused too, a minute at
most at a time: the price of bounding guesses per account at all. Usernames are counted
whether or not they exist, so a refusal tells nothing about accounts. The address limit allows
more failures (a clinic's desks share one address). A success clears only the count of its
username at its address: it resets neither its address's count, so one good account cannot
clear the way for guessing others, nor its username's count across addresses, so the owner's
sign-in does not give a spread guesser a fresh allowance. Memory is bounded: each ledger keeps
its most recently failing keys only. State is per process; with several API replicas an
attacker gets each replica's allowance.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BackOff:
    free_attempts: int  # failures in a row that cost no wait
    first_delay: float  # seconds to wait after the last free failure
    max_delay: float
    forgive_every: float  # seconds after which one counted failure is forgotten

    def delay(self, failures: int) -> float:
        over = failures - self.free_attempts
        if over < 0:
            return 0.0
        return min(self.first_delay * 2.0 ** min(over, 62), self.max_delay)


# One address guessing one username gets 5 tries at once, then about 6 an hour; an address
# guessing many usernames 30, then 2 a minute, which a clinic's shared address never reaches
# with typos.
PER_USERNAME_AT_ADDRESS = BackOff(
    free_attempts=5, first_delay=1, max_delay=15 * 60, forgive_every=600
)
PER_ADDRESS = BackOff(free_attempts=30, first_delay=1, max_delay=5 * 60, forgive_every=30)
# One username from all addresses together: 50 free failures, the free attempts of ten
# addresses, so neither typos nor a guesser at a few addresses engage it; then waits capped at
# a minute, so while it is engaged a refusal asks the account's owner to wait a minute at most,
# and a guesser spread over any number of addresses gets about one guess a minute. One failure
# is forgotten a minute, so a spent burst is gone within the hour.
PER_USERNAME_EVERYWHERE = BackOff(free_attempts=50, first_delay=1, max_delay=60, forgive_every=60)
CAPACITY = 20_000  # keys per ledger


@dataclass
class _Failures:
    count: int
    last_at: float  # the last counted failure: a wait runs from it
    settled_at: float  # failures have leaked away up to this instant


Key = str | tuple[str, str]  # a username or an address, or a (username, address) pair


class FailureLedger:
    """Failures per key, the most recently failing `capacity` keys only."""

    def __init__(self, policy: BackOff, capacity: int = CAPACITY) -> None:
        self.policy, self.capacity = policy, capacity
        self._keys: OrderedDict[Key, _Failures] = OrderedDict()

    def _current(self, key: Key, now: float) -> _Failures | None:
        entry = self._keys.get(key)
        if entry is None:
            return None
        leaked = int((now - entry.settled_at) // self.policy.forgive_every)
        if leaked > 0:
            entry.count -= leaked
            entry.settled_at += leaked * self.policy.forgive_every
            if entry.count <= 0:
                del self._keys[key]
                return None
        return entry

    def wait(self, key: Key, now: float) -> float:
        """Seconds until `key` may try again; 0 if it may now."""
        entry = self._current(key, now)
        if entry is None:
            return 0.0
        return max(0.0, entry.last_at + self.policy.delay(entry.count) - now)

    def fail(self, key: Key, now: float) -> None:
        entry = self._current(key, now) or _Failures(0, now, now)
        entry.count, entry.last_at = entry.count + 1, now
        self._keys[key] = entry
        self._keys.move_to_end(key)
        while len(self._keys) > self.capacity:
            self._keys.popitem(last=False)

    def take_back(self, key: Key) -> None:
        """Undoes one counted attempt that turned out to succeed."""
        entry = self._keys.get(key)
        if entry is not None:
            entry.count -= 1
            if entry.count <= 0:
                del self._keys[key]

    def clear(self, key: Key) -> None:
        self._keys.pop(key, None)

    def __len__(self) -> int:
        return len(self._keys)


class LoginThrottle:
    def __init__(
        self,
        per_username_at_address: BackOff = PER_USERNAME_AT_ADDRESS,
        per_address: BackOff = PER_ADDRESS,
        per_username_everywhere: BackOff = PER_USERNAME_EVERYWHERE,
        capacity: int = CAPACITY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.usernames_at_addresses = FailureLedger(per_username_at_address, capacity)
        self.addresses = FailureLedger(per_address, capacity)
        self.usernames = FailureLedger(per_username_everywhere, capacity)
        self._clock = clock

    def _ledgers(self, username: str, address: str) -> list[tuple[FailureLedger, Key]]:
        user = username.strip().casefold()
        return [
            (self.usernames_at_addresses, (user, address)),
            (self.addresses, address),
            (self.usernames, user),
        ]

    def admit(self, username: str, address: str) -> int | None:
        """None: go ahead (the attempt is counted as failed until `succeeded`); otherwise the
        whole seconds to wait before trying again."""
        now, ledgers = self._clock(), self._ledgers(username, address)
        wait = max(ledger.wait(key, now) for ledger, key in ledgers)
        if wait > 0:
            return max(1, math.ceil(wait))
        for ledger, key in ledgers:
            ledger.fail(key, now)
        return None

    def succeeded(self, username: str, address: str) -> None:
        user = username.strip().casefold()
        self.usernames_at_addresses.clear((user, address))
        self.addresses.take_back(address)
        self.usernames.take_back(user)

    def not_checked(self, username: str, address: str) -> None:
        """The admitted attempt could not be checked (the server was busy): it does not count."""
        for ledger, key in self._ledgers(username, address):
            ledger.take_back(key)


def client_address(request: object, trusted_proxy_hops: int) -> str:
    """The caller's address: the TCP peer, or with `trusted_proxy_hops` proxies in front (each
    appending to X-Forwarded-For) the entry that many from the right. Entries further left
    are whatever the client sent, so they are never trusted."""
    peer = str(getattr(request, "remote", None) or "unknown")
    if trusted_proxy_hops <= 0:
        return peer
    header = str(getattr(request, "headers", {}).get("X-Forwarded-For", ""))
    forwarded = [part.strip() for part in header.split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < trusted_proxy_hops:
        return peer
    return forwarded[-trusted_proxy_hops]
