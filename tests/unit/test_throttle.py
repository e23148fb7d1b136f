"""Sign-in throttling: exponential back-off per username and per address, bounded memory."""

from __future__ import annotations

from types import SimpleNamespace

from schema.auth.throttle import (
    PER_ADDRESS,
    PER_USERNAME_AT_ADDRESS,
    PER_USERNAME_EVERYWHERE,
    BackOff,
    FailureLedger,
    LoginThrottle,
    client_address,
)
from tests.support import ManualClock


def test_the_wait_doubles_after_the_free_attempts_up_to_a_cap() -> None:
    policy = BackOff(free_attempts=3, first_delay=1, max_delay=10, forgive_every=3600)
    assert [policy.delay(n) for n in range(9)] == [0, 0, 0, 1, 2, 4, 8, 10, 10]
    assert policy.delay(10**6) == 10


def test_a_username_waits_at_an_address_after_its_free_failures_and_each_doubles_it() -> None:
    clock = ManualClock()
    throttle = LoginThrottle(clock=clock)
    # Given the free attempts at one address all failed
    for _ in range(PER_USERNAME_AT_ADDRESS.free_attempts):
        assert throttle.admit("nurse", "10.0.0.1") is None
    # Then the next attempt from there waits a second
    assert throttle.admit("nurse", "10.0.0.1") == 1
    assert throttle.admit("NURSE ", "10.0.0.1") == 1  # the same username, however written
    # And refused attempts do not lengthen the wait
    clock.now += 1
    assert throttle.admit("nurse", "10.0.0.1") is None  # admitted, and failed again
    assert throttle.admit("nurse", "10.0.0.1") == 2
    clock.now += 2
    assert throttle.admit("nurse", "10.0.0.1") is None
    assert throttle.admit("nurse", "10.0.0.1") == 4
    # While other usernames are not affected
    assert throttle.admit("cashier", "10.0.0.1") is None


def test_failures_at_one_address_do_not_make_the_username_wait_at_another() -> None:
    clock = ManualClock()
    throttle = LoginThrottle(clock=clock)
    # Given a stranger made to wait after guessing the nurse's password
    for _ in range(PER_USERNAME_AT_ADDRESS.free_attempts):
        assert throttle.admit("nurse", "203.0.113.9") is None
    assert throttle.admit("nurse", "203.0.113.9") == 1
    # Then the nurse at the clinic is admitted, and signs in
    assert throttle.admit("nurse", "192.0.2.44") is None
    throttle.succeeded("nurse", "192.0.2.44")
    # While the stranger still waits
    assert throttle.admit("nurse", "203.0.113.9") == 1


def test_a_username_guessed_from_many_addresses_waits_briefly_everywhere() -> None:
    clock = ManualClock()
    throttle = LoginThrottle(clock=clock)
    per_address = PER_USERNAME_AT_ADDRESS.free_attempts
    hosts = PER_USERNAME_EVERYWHERE.free_attempts // per_address
    # Given guessers at many addresses, each within its free attempts, up to the last one
    for n in range(PER_USERNAME_EVERYWHERE.free_attempts):
        assert throttle.admit("nurse", f"203.0.113.{n // per_address}") is None, n
    # Then every address waits a second, the nurse's own too
    assert throttle.admit("nurse", f"203.0.113.{hosts}") == 1
    assert throttle.admit("nurse", "192.0.2.44") == 1
    # And each further failure doubles the wait, up to a cap of a minute at most (one failure
    # is forgotten a minute meanwhile)
    waits = []
    for n in range(12):
        clock.now += throttle.admit("nurse", f"198.51.100.{n}") or 0
        assert throttle.admit("nurse", f"198.51.100.{n}") is None
        waits.append(throttle.admit("nurse", "192.0.2.44"))
    assert waits[:5] == [2, 4, 8, 16, 32]
    assert max(w or 0 for w in waits) == PER_USERNAME_EVERYWHERE.max_delay <= 60, waits
    # And the nurse's success from the clinic, once the wait is over, takes back only its own
    # attempt: the guessers' count stays, so the next guesser still waits its doubled time
    clock.now += PER_USERNAME_EVERYWHERE.max_delay
    assert throttle.admit("nurse", "192.0.2.44") is None
    throttle.succeeded("nurse", "192.0.2.44")
    wait = throttle.admit("nurse", "198.51.100.99")
    assert wait is not None and wait > PER_USERNAME_EVERYWHERE.first_delay, wait


def test_a_success_clears_the_username() -> None:
    clock = ManualClock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(PER_USERNAME_AT_ADDRESS.free_attempts - 1):
        throttle.admit("nurse", "10.0.0.1")
    assert throttle.admit("nurse", "10.0.0.1") is None
    throttle.succeeded("nurse", "10.0.0.1")
    for _ in range(PER_USERNAME_AT_ADDRESS.free_attempts):
        assert throttle.admit("nurse", "10.0.0.1") is None


def test_an_address_guessing_many_usernames_waits_and_a_success_does_not_clear_it() -> None:
    clock = ManualClock()
    throttle = LoginThrottle(clock=clock)
    for n in range(PER_ADDRESS.free_attempts - 1):
        assert throttle.admit(f"user-{n}", "203.0.113.7") is None
    # One genuine sign-in from the same address takes back only its own attempt
    assert throttle.admit("nurse", "203.0.113.7") is None
    throttle.succeeded("nurse", "203.0.113.7")
    assert throttle.admit("user-last", "203.0.113.7") is None
    # So the address has used its free attempts on failures: it now waits
    assert throttle.admit("user-new", "203.0.113.7") == 1
    assert throttle.admit("user-new", "198.51.100.1") is None  # another address is free


def test_failures_leak_away_one_at_a_time() -> None:
    ledger = FailureLedger(
        BackOff(free_attempts=2, first_delay=10, max_delay=1000, forgive_every=60)
    )
    ledger.fail("nurse", now=0)
    ledger.fail("nurse", now=0)
    assert ledger.wait("nurse", now=0) == 10
    # A minute later one failure is forgotten: no more wait, one free attempt again
    assert ledger.wait("nurse", now=60) == 0
    ledger.fail("nurse", now=60)
    assert ledger.wait("nurse", now=60) == 10
    # Two quiet minutes more and nothing is left of them
    assert ledger.wait("nurse", now=180) == 0
    assert len(ledger) == 0


def test_memory_stays_bounded_by_the_capacity() -> None:
    ledger = FailureLedger(PER_USERNAME_AT_ADDRESS, capacity=100)
    for n in range(10_000):
        ledger.fail(f"user-{n}", now=1.0)
    assert len(ledger) == 100


def test_the_client_address_trusts_only_the_configured_proxies() -> None:
    request = SimpleNamespace(
        remote="10.1.1.1", headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.7, 10.0.0.5"}
    )
    assert client_address(request, 0) == "10.1.1.1"  # no proxy: the peer, header ignored
    assert client_address(request, 1) == "10.0.0.5"
    assert client_address(request, 2) == "203.0.113.7"
    # More hops than entries: the chain is not what was configured, so the peer
    assert client_address(request, 4) == "10.1.1.1"
    assert client_address(SimpleNamespace(remote="10.1.1.1", headers={}), 1) == "10.1.1.1"


def test_an_attempt_the_server_was_too_busy_to_check_does_not_count() -> None:
    clock = ManualClock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(PER_USERNAME_AT_ADDRESS.free_attempts):
        assert throttle.admit("nurse", "10.0.0.1") is None
        throttle.not_checked("nurse", "10.0.0.1")
    assert throttle.admit("nurse", "10.0.0.1") is None
    assert len(throttle.usernames) == 1 and len(throttle.addresses) == 1
