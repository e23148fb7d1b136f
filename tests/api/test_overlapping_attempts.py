"""Attempts of one request that overlap: a slow first attempt and its retry, sent at once.

The ledger says UNFINISHED to every attempt that claims the key while another one is still
working; each then does the work. For a write that replaces a value (`replace_and_settle`) or
signs tokens out, that is the work done twice: late, over what was changed since, or with
another answer for the same key."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from domain.roles import Role
from domain.store import records
from domain.store.models import IdempotencyKey
from domain.store.records import KeyClaim, KeyRequest, KeyState
from server.seed import DEMO_PASSWORD
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import Api, Staff
from tests.api.money_support import EUR_SETTINGS, SET_SETTINGS, money_call
from tests.api.sessions import (
    CHANGE_PASSWORD,
    LOGOUT,
    login,
    new_account,
    sign_in,
)
from tests.api.test_administration import RESET_PASSWORD, _new_account, _sign_in
from tests.supervision.test_clinic_slas import SET_SLA

Clinic = Callable[[], Awaitable[JourneyDriver]]
SETTINGS = "query { billingSettings { currency locale discountThresholdPercent paymentPolicy } }"
NEW_PASSWORD = "a far longer passphrase"


class HeldFirstAttempt:
    """Holds the attempt that claims `key` first just after its claim (a slow process: a pause,
    a slow database), until `release`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, key: str) -> None:
        self.held, self._go = asyncio.Event(), asyncio.Event()
        claim = records.claim_key

        async def slow(request: KeyRequest) -> KeyClaim:
            claimed = await claim(request)
            if request.key == key and claimed.state is KeyState.FIRST:
                self.held.set()
                await asyncio.wait_for(self._go.wait(), timeout=60)
            return claimed

        monkeypatch.setattr(records, "claim_key", slow)

    def release(self) -> None:
        self._go.set()


async def test_a_slow_first_attempt_of_a_setting_does_not_undo_a_later_change(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a clinic's billing settings
    driver = await fresh_clinic()
    first = EUR_SETTINGS
    await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **first)
    # When a change's first attempt is slow, and its retry (same key) makes the change
    change = {**first, "discountThresholdPercent": 25, "idempotencyKey": new_key()}
    hold = HeldFirstAttempt(monkeypatch, change["idempotencyKey"])
    slow = asyncio.create_task(money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **change))
    await asyncio.wait_for(hold.held.wait(), timeout=30)
    retry = await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **change)
    assert retry["settings"]["discountThresholdPercent"] == 25, retry
    # And another supervisor changes the setting after that
    later = {**first, "discountThresholdPercent": 40, "idempotencyKey": new_key()}
    assert (await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **later))["settings"]
    # Then the slow first attempt, finishing now, changes nothing: the request was done
    hold.release()
    await slow
    now = await driver.api.run(SETTINGS, driver.token(Role.SUPERVISOR))
    assert now["billingSettings"]["discountThresholdPercent"] == 40, now


async def test_a_slow_first_attempt_of_a_reset_does_not_undo_the_password_its_owner_chose(
    api: Api, staff: dict[Role, Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a nurse's account with the temporary password an administrator gave it
    admin = staff[Role.ADMIN]
    username, staff_id = await _new_account(api, admin)
    reset = {
        "staffId": staff_id,
        "temporaryPassword": "another-temporary-2",
        "idempotencyKey": new_key(),
    }
    # When the administrator's reset is slow, and its retry (same key) resets the password
    hold = HeldFirstAttempt(monkeypatch, reset["idempotencyKey"])
    slow = asyncio.create_task(api.run(RESET_PASSWORD, admin.token, input=reset))
    await asyncio.wait_for(hold.held.wait(), timeout=30)
    retried = (await api.run(RESET_PASSWORD, admin.token, input=reset))["resetStaffPassword"]
    assert retried["__typename"] == "StaffAccountPayload", retried
    # And the nurse signs in with it and chooses her own password
    token = (await _sign_in(api, username, "another-temporary-2"))["token"]
    change = {"currentPassword": "another-temporary-2", "newPassword": NEW_PASSWORD}
    changed = (await api.run(CHANGE_PASSWORD, token, input=change))["changePassword"]
    assert changed["__typename"] == "ChangePasswordPayload", changed
    # Then the slow first attempt, finishing now, leaves her password alone
    hold.release()
    await slow
    signed_in = await _sign_in(api, username, NEW_PASSWORD)
    assert signed_in["__typename"] == "LoginPayload", signed_in


async def test_a_password_change_whose_answer_was_lost_is_answered_on_retry(api: Api) -> None:
    # Given a password changed, whose answer was lost (the process died before settling the key)
    account = await new_account()
    token, key = await sign_in(api, account), new_key()
    change = {"currentPassword": DEMO_PASSWORD, "newPassword": NEW_PASSWORD, "idempotencyKey": key}
    first = (await api.run(CHANGE_PASSWORD, token, input=change))["changePassword"]
    assert first["__typename"] == "ChangePasswordPayload", first
    assert (
        await IdempotencyKey.filter(account_id=account.account_id, key=key).update(result_id="")
        == 1
    )
    # When the client retries with the same key (and the token that sent it)
    again = (await api.run(CHANGE_PASSWORD, token, input=change))["changePassword"]
    # Then it hears that the password was changed, not that it must sign in again
    assert again["__typename"] == "ChangePasswordPayload", again
    assert (await login(api, account.username, NEW_PASSWORD))["__typename"] == "LoginPayload"


async def test_a_logout_everywhere_sent_at_once_answers_one_time(api: Api) -> None:
    # Given an account signed in
    account = await new_account()
    token, key = await sign_in(api, account), new_key()
    request = {"everywhere": True, "idempotencyKey": key}
    # When its logout everywhere is sent five times at once with one key
    answers = await asyncio.gather(*(api.run(LOGOUT, token, input=request) for _ in range(5)))
    # Then every attempt hears the same answer, and a later retry that one too
    later = await api.run(LOGOUT, token, input=request)
    assert all(a["logout"]["__typename"] == "LogoutPayload" for a in answers), answers
    assert {a["logout"]["signedOutAt"] for a in [*answers, later]} == {
        later["logout"]["signedOutAt"]
    }, answers


async def test_a_slow_first_attempt_of_a_stage_sla_answers_the_sla_its_request_set(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a stage's SLA set by a slow first attempt's retry (same key)
    driver = await fresh_clinic()
    supervisor = driver.token(Role.SUPERVISOR)
    sla = {"stage": "PAYMENT", "visitCategory": "FIRST_VISIT", "seconds": 6 * 3600}
    sla["idempotencyKey"] = new_key()
    wanted = {
        "stage": "PAYMENT",
        "visitCategory": "FIRST_VISIT",
        "seconds": 6 * 3600,
        "isDefault": False,
    }
    hold = HeldFirstAttempt(monkeypatch, sla["idempotencyKey"])
    slow = asyncio.create_task(driver.api.run(SET_SLA, supervisor, input=sla))
    await asyncio.wait_for(hold.held.wait(), timeout=30)
    retry = (await driver.api.run(SET_SLA, supervisor, input=sla))["setStageSla"]
    assert wanted in retry["slas"], retry
    # When the first attempt finishes (writing nothing: its retry made the change)
    hold.release()
    first = (await slow)["setStageSla"]
    # Then it answers the SLA its request set, not every stage at its default
    assert first["__typename"] == "StageSlasPayload", first
    assert wanted in first["slas"], first["slas"]
