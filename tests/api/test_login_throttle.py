"""Signing in under attack: throttled per username at an address, per address and, loosely, per
username across addresses, with a typed error; hashed off the event loop so other requests keep
their pace; and old hashes upgraded on the way.

Each test runs an API server of its own: the throttle's memory belongs to one server."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import hashlib
import math
import re
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store.models import StaffAccount
from schema.auth.throttle import (
    PER_ADDRESS,
    PER_USERNAME_AT_ADDRESS,
    PER_USERNAME_EVERYWHERE,
    LoginThrottle,
)
from schema.context import AuthServices
from server.seed import DEMO_PASSWORD
from tests.api.conftest import api_settings
from tests.api.harness import Api, running_api
from tests.api.sessions import CHANGE_PASSWORD, LOGIN, login, me, new_account, sign_in
from tests.support import ManualClock

BAD_LOGINS = 1000
CONCURRENT = 20  # requests in flight at once, as from one attacker's connection pool
# The bound is relative, so it holds however loaded the machine is: while the bad logins run,
# other requests wait no longer than while as many sign-ins that need no password check run
# (an empty password), within this factor. Verifying each on the event loop, as before, made
# them wait about four times as long.
STALL_FACTOR = 2.0
# And in absolute terms: every probe but the slowest within this, the slowest within three times
# it. A request held back by the flood would be held again and again; one slow probe alone is
# the machine (a CI run with both suites side by side saw one at 5.08 s, the median at 0.06 s).
PROBE_BOUND_SECONDS = 5.0


@contextlib.asynccontextmanager
async def own_api(
    database: str,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
    auth: AuthServices | None = None,
    **changes: Any,
) -> AsyncIterator[Api]:
    settings = api_settings(database, temporal_address, "login-throttle")
    settings = dataclasses.replace(settings, **changes)
    async with running_api(settings, temporal_env.client, auth) as api:
        yield api


async def post_login(
    http: aiohttp.ClientSession, api: Api, username: str, password: str, **headers: str
) -> dict[str, Any]:
    body = {"query": LOGIN, "variables": {"input": {"username": username, "password": password}}}
    async with http.post(api.url, json=body, headers=headers) as response:
        assert response.status == 200, await response.text()
        answer = await response.json()
    assert "errors" not in answer, answer
    return answer["data"]["login"]  # type: ignore[no-any-return]


async def login_metric(http: aiohttp.ClientSession, api: Api, outcome: str) -> float:
    async with http.get(api.url.removesuffix("/graphql") + "/metrics") as response:
        text = await response.text()
    found = re.search(rf'^glowpath_login_attempts_total{{outcome="{outcome}"}} (\S+)$', text, re.M)
    return float(found.group(1)) if found else 0.0


async def test_a_thousand_bad_logins_do_not_stall_other_requests(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    async with own_api(database, temporal_env, temporal_address) as api:
        # Given a member of staff at work, and an attacker guessing a colleague's password
        worker, target = await new_account(), await new_account()
        token = await sign_in(api, worker)
        limits = aiohttp.TCPConnector(limit=CONCURRENT + 4)
        async with aiohttp.ClientSession(connector=limits) as http:
            prober = Prober(http, api, token)

            # (how long the probes wait while sign-ins that check no password run)
            def unchecked(n: int) -> Awaitable[dict[str, Any]]:
                return post_login(http, api, target.username, "")

            baseline = await prober.during(flood(BAD_LOGINS // 3, unchecked))
            before = {o: await login_metric(http, api, o) for o in ("failed", "throttled")}

            # When a thousand wrong passwords arrive, twenty at a time
            def guess(n: int) -> Awaitable[dict[str, Any]]:
                return post_login(http, api, target.username, f"guess-{n}")

            started = time.monotonic()
            attack = flood(BAD_LOGINS, guess)
            latencies = await prober.during(attack)
            answers, lasted = await attack, time.monotonic() - started
            after = {o: await login_metric(http, api, o) for o in ("failed", "throttled")}
        # Then the free attempts were checked, then one after each doubling wait (1 s, 2 s,
        # 4 s, ...: a handful in the flood's seconds), and every other one refused unhashed
        kinds = collections.Counter(answer["__typename"] for answer in answers)
        checked, refused = kinds["NotAuthorized"], kinds["TooManyAttempts"]
        free = PER_USERNAME_AT_ADDRESS.free_attempts
        assert checked + refused == BAD_LOGINS, kinds
        assert free <= checked <= free + 1 + math.log2(lasted + 1), (kinds, lasted)
        throttled = [a for a in answers if a["__typename"] == "TooManyAttempts"]
        assert all(
            a["code"] == "TOO_MANY_ATTEMPTS" and a["retryAfterSeconds"] >= 1 for a in throttled
        )
        assert after["failed"] - before["failed"] == checked
        assert after["throttled"] - before["throttled"] == refused
        # And the health check and the colleague's query kept answering throughout, about as
        # promptly as under the same load of sign-ins that check no password
        assert len(latencies) >= 6 and len(baseline) >= 2, (latencies, baseline)
        typical, usual = statistics.median(latencies), statistics.median(baseline)
        assert typical <= STALL_FACTOR * usual + 0.05, (typical, usual)
        slowest = sorted(latencies)[-5:]
        assert slowest[-2] < PROBE_BOUND_SECONDS, slowest
        assert slowest[-1] < 3 * PROBE_BOUND_SECONDS, slowest
        # And even the right password waits now, while the worker's own sign-in is untouched.
        # One more guess first: on a loaded machine the wait after the flood's last checked guess
        # (16 s, say) may have run out by now; a guess then is checked and doubles it, one before
        # the end is refused, so the right password comes inside a wait either way.
        guess = await login(api, target.username, "one-more-guess")
        assert guess["__typename"] in ("NotAuthorized", "TooManyAttempts"), guess
        locked = await login(api, target.username)
        assert locked["__typename"] == "TooManyAttempts"
        assert (await login(api, worker.username))["__typename"] == "LoginPayload"


def flood(count: int, request: Callable[[int], Awaitable[Any]]) -> asyncio.Future[list[Any]]:
    """`count` requests, `CONCURRENT` in flight at a time, running in the background."""
    in_flight = asyncio.Semaphore(CONCURRENT)

    async def one(n: int) -> Any:
        async with in_flight:
            return await request(n)

    return asyncio.ensure_future(asyncio.gather(*(one(n) for n in range(count))))


@dataclasses.dataclass
class Prober:
    """Times /healthz and a signed-in `me` query, one after another."""

    http: aiohttp.ClientSession
    api: Api
    token: str

    async def during(self, load: asyncio.Future[Any]) -> list[float]:
        healthz = self.api.url.removesuffix("/graphql") + "/healthz"
        me_body = {"query": "query Probe { me { __typename } }"}
        headers = {"Authorization": f"Bearer {self.token}"}
        latencies: list[float] = []
        while not load.done():
            started = time.perf_counter()
            async with self.http.get(healthz) as response:
                assert response.status == 200
            latencies.append(time.perf_counter() - started)
            started = time.perf_counter()
            async with self.http.post(self.api.url, json=me_body, headers=headers) as response:
                assert (await response.json())["data"]["me"]["__typename"] == "StaffMember"
            latencies.append(time.perf_counter() - started)
        await load
        return latencies


async def test_an_unknown_username_is_throttled_like_a_known_one(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    async with own_api(database, temporal_env, temporal_address) as api:
        known = await new_account()
        answers: dict[str, list[dict[str, Any]]] = {}
        for username in (known.username, "nobody-" + known.username):
            attempts = PER_USERNAME_AT_ADDRESS.free_attempts + 1
            answers[username] = [await login(api, username, "wrong-one") for _ in range(attempts)]
        first, second = answers.values()
        # The same answers, so a refusal does not tell whether the account exists
        assert [a["__typename"] for a in first] == [a["__typename"] for a in second]
        assert first[0] == {
            "__typename": "NotAuthorized",
            "code": "NOT_AUTHORIZED",
            "message": "wrong username or password",
        }
        assert (
            first[-1]
            == second[-1]
            == {
                "__typename": "TooManyAttempts",
                "code": "TOO_MANY_ATTEMPTS",
                "message": "too many attempts: try again in 1 s",
                "retryAfterSeconds": 1,
            }
        )


async def test_one_address_guessing_many_usernames_is_throttled(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    # Given an API behind one proxy, which appends the caller's address to X-Forwarded-For
    async with own_api(database, temporal_env, temporal_address, trusted_proxy_hops=1) as api:
        attacker = {"X-Forwarded-For": "203.0.113.9"}
        async with aiohttp.ClientSession() as http:
            # When one address tries a different username each time
            for n in range(PER_ADDRESS.free_attempts):
                answer = await post_login(http, api, f"guess-{n}", "wrong-one", **attacker)
                assert answer["__typename"] == "NotAuthorized", (n, answer)
            # Then it is made to wait, even when it puts a made-up address in front
            for headers in (attacker, {"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}):
                answer = await post_login(http, api, "guess-next", "wrong-one", **headers)
                assert answer["__typename"] == "TooManyAttempts", (headers, answer)
            # While another address is not
            other = {"X-Forwarded-For": "192.0.2.44"}
            answer = await post_login(http, api, "guess-next", "wrong-one", **other)
            assert answer["__typename"] == "NotAuthorized"


async def test_guesses_from_one_address_do_not_lock_the_user_out_elsewhere(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    # Given an API behind one proxy, a doctor at the clinic's address and a stranger elsewhere
    async with own_api(database, temporal_env, temporal_address, trusted_proxy_hops=1) as api:
        doctor = await new_account()
        stranger, clinic = {"X-Forwarded-For": "203.0.113.9"}, {"X-Forwarded-For": "192.0.2.44"}
        async with aiohttp.ClientSession() as http:
            # When the stranger guesses the doctor's password until refused
            for n in range(PER_USERNAME_AT_ADDRESS.free_attempts):
                answer = await post_login(http, api, doctor.username, f"guess-{n}", **stranger)
                assert answer["__typename"] == "NotAuthorized", (n, answer)
            answer = await post_login(http, api, doctor.username, "guess-next", **stranger)
            assert answer["__typename"] == "TooManyAttempts", answer
            # Then the doctor still signs in at the clinic, while the stranger waits
            answer = await post_login(http, api, doctor.username, DEMO_PASSWORD, **clinic)
            assert answer["__typename"] == "LoginPayload", answer
            answer = await post_login(http, api, doctor.username, DEMO_PASSWORD, **stranger)
            assert answer["__typename"] == "TooManyAttempts", answer


async def test_a_guesser_spread_over_many_addresses_is_slowed_briefly(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    # Given an API behind one proxy, whose throttle runs on a clock the test moves
    clock = ManualClock()
    auth = AuthServices(throttle=LoginThrottle(clock=clock))
    async with own_api(database, temporal_env, temporal_address, auth, trusted_proxy_hops=1) as api:
        doctor = await new_account()
        per_address = PER_USERNAME_AT_ADDRESS.free_attempts
        addresses = PER_USERNAME_EVERYWHERE.free_attempts // per_address
        async with aiohttp.ClientSession() as http:
            # When guessers at many addresses use up each address's free attempts
            for host in range(addresses):
                guesser = {"X-Forwarded-For": f"203.0.113.{host + 1}"}
                for n in range(per_address):
                    answer = await post_login(http, api, doctor.username, f"g-{n}", **guesser)
                    assert answer["__typename"] == "NotAuthorized", (host, n, answer)
            # Then every address waits a second, a fresh one and the doctor's at the clinic alike
            fresh = {"X-Forwarded-For": "198.51.100.7"}
            clinic = {"X-Forwarded-For": "192.0.2.44"}
            for headers, password in ((fresh, "guess-next"), (clinic, DEMO_PASSWORD)):
                answer = await post_login(http, api, doctor.username, password, **headers)
                assert answer["__typename"] == "TooManyAttempts", answer
                assert answer["retryAfterSeconds"] == PER_USERNAME_EVERYWHERE.first_delay
            # And once that second has passed, the doctor signs in at the clinic
            clock.now += PER_USERNAME_EVERYWHERE.first_delay
            answer = await post_login(http, api, doctor.username, DEMO_PASSWORD, **clinic)
            assert answer["__typename"] == "LoginPayload", answer


def legacy_scrypt_hash(password: str) -> str:
    salt = b"legacy-salt-0001"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


async def test_a_legacy_scrypt_hash_is_replaced_at_the_next_sign_in(api: Api) -> None:
    # Given an account whose password was hashed by the earlier scheme
    legacy = legacy_scrypt_hash(DEMO_PASSWORD)
    account = await new_account(Role.CASHIER, password_hash=legacy)
    # A wrong password leaves it as it is
    assert (await login(api, account.username, "wrong-one"))["__typename"] == "NotAuthorized"
    assert (await StaffAccount.get(id=account.account_id)).password_hash == legacy
    # When the right password signs in
    token = await sign_in(api, account)
    # Then the hash is argon2id with its parameters, and the password keeps working
    upgraded = (await StaffAccount.get(id=account.account_id)).password_hash
    assert upgraded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert (await me(api, token))["username"] == account.username
    assert (await login(api, account.username))["__typename"] == "LoginPayload"


async def test_guessing_the_current_password_in_a_change_is_throttled_too(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    # Given someone with a signed-in token but not the password (a device left unlocked)
    async with own_api(database, temporal_env, temporal_address) as api:
        account = await new_account()
        token = await sign_in(api, account)
        before = (await StaffAccount.get(id=account.account_id)).password_hash
        answers = []
        free = PER_USERNAME_AT_ADDRESS.free_attempts
        for n in range(free + 1):
            change = {"currentPassword": f"guess-{n}", "newPassword": "a far longer passphrase"}
            answers.append((await api.run(CHANGE_PASSWORD, token, input=change))["changePassword"])
        # Then the guesses are checked as sign-ins are, and then refused
        kinds = [answer["__typename"] for answer in answers]
        assert kinds == ["ValidationFailed"] * free + ["TooManyAttempts"]
        assert answers[-1]["retryAfterSeconds"] == 1
        # And the right password is refused while it waits; nothing was changed
        right = {"currentPassword": DEMO_PASSWORD, "newPassword": "a far longer passphrase"}
        refused = (await api.run(CHANGE_PASSWORD, token, input=right))["changePassword"]
        assert refused["__typename"] == "TooManyAttempts"
        assert (await StaffAccount.get(id=account.account_id)).password_hash == before
