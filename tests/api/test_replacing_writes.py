"""A write that replaces a value (a setting, a password) is kept with its key's settlement or not
at all. Written apart, a crash between the two left the key unsettled, and the retry wrote the
value again over what was changed since: another supervisor's settings, the password the nurse
had chosen (both found by a review, shown with the answer's settlement taken away)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store import records
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import Api, Staff
from tests.api.money_support import EUR_SETTINGS, SET_SETTINGS, money_call
from tests.api.test_administration import RESET_PASSWORD, TEMPORARY, _new_account, _sign_in

Clinic = Callable[[], Awaitable[JourneyDriver]]
SETTINGS = "query { billingSettings { currency locale discountThresholdPercent paymentPolicy } }"


def _settle_fails_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next settlement (in the write's transaction) fails, as a process lost there would
    leave it."""
    settle = records.settle_unsettled

    async def lost(*args: Any) -> bool:
        monkeypatch.setattr(records, "settle_unsettled", settle)
        raise RuntimeError("the process died here")

    monkeypatch.setattr(records, "settle_unsettled", lost)


async def test_a_setting_is_kept_with_its_keys_settlement_or_not_at_all(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a clinic's billing settings
    driver = await fresh_clinic()
    first = EUR_SETTINGS
    assert (await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **first))["settings"]
    before = await driver.api.run(SETTINGS, driver.token(Role.SUPERVISOR))
    # When a change is lost before its key is settled
    change = {**first, "discountThresholdPercent": 25, "idempotencyKey": new_key()}
    _settle_fails_once(monkeypatch)
    with pytest.raises(TransportQueryError):
        await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **change)
    # Then nothing of it was kept
    assert await driver.api.run(SETTINGS, driver.token(Role.SUPERVISOR)) == before
    # And its retry makes it, once: another supervisor's later change stands after a further retry
    made = await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **change)
    assert made["settings"]["discountThresholdPercent"] == 25
    later = {**first, "discountThresholdPercent": 40, "idempotencyKey": new_key()}
    await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **later)
    again = await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **change)
    assert again["settings"]["discountThresholdPercent"] == 40


async def test_a_password_reset_is_kept_with_its_keys_settlement_or_not_at_all(
    api: Api, staff: dict[Role, Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a nurse signed in with the password she was given
    admin = staff[Role.ADMIN]
    username, staff_id = await _new_account(api, admin)
    token = (await _sign_in(api, username, TEMPORARY))["token"]
    # When the administrator's reset is lost before its key is settled
    reset = {"staffId": staff_id, "temporaryPassword": "another-temporary-2"}
    _settle_fails_once(monkeypatch)
    with pytest.raises(TransportQueryError):
        await api.run(RESET_PASSWORD, admin.token, input={**reset, "idempotencyKey": new_key()})
    # Then nothing of it was kept: her session and her password still work
    assert (await api.run(documents.ME, token))["me"]["__typename"] != "NotAuthorized"
    assert (await _sign_in(api, username, TEMPORARY))["__typename"] == "LoginPayload"
