"""Two corrections of one identity page, of different fields, at once: each amendment holds
the whole page as its request computed it, from the page as it stood before either was
written, so the one written last undoes the other."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.roles import Role
from schema.clients import identity
from tests.api.client_file_support import AMEND_CLIENT_IDENTITY, IDENTITY, new_key, write
from tests.api.flow import JourneyDriver

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def test_two_corrections_of_different_fields_at_once_both_stand(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client registered as Anna Nowak, +48 600 100 200
    clinic = await fresh_clinic()
    client = await clinic.register_client("Anna Nowak")
    # And a first correction that is slow to write (held just before its write)
    held, go = asyncio.Event(), asyncio.Event()
    amend = identity.amend_identity
    calls: list[str] = []

    async def slow(*args: Any, **kwargs: Any) -> Any:
        calls.append("call")
        if len(calls) == 1:
            held.set()
            await asyncio.wait_for(go.wait(), timeout=60)
        return await amend(*args, **kwargs)

    monkeypatch.setattr(identity, "amend_identity", slow)
    # When the front desk corrects her name while a supervisor corrects her phone
    name = asyncio.create_task(
        write(
            clinic,
            AMEND_CLIENT_IDENTITY,
            Role.FRONT_DESK,
            clientId=client,
            fullName="Anna Kowalska",
            reason="married",
            idempotencyKey=new_key(),
        )
    )
    await asyncio.wait_for(held.wait(), timeout=30)
    phone = await write(
        clinic,
        AMEND_CLIENT_IDENTITY,
        Role.SUPERVISOR,
        clientId=client,
        phone="+48600100300",
        reason="new number",
        idempotencyKey=new_key(),
    )
    go.set()
    answers = [await name, phone]
    assert [a["__typename"] for a in answers] == ["ClientPayload", "ClientPayload"], answers
    # Then the identity holds both corrections: neither undid the other
    page = (await clinic.api.run(IDENTITY, clinic.token(Role.CONSULTANT), id=client))["client"]
    assert (page["fullName"], page["phone"]) == ("Anna Kowalska", "+48 600 100 300"), page
