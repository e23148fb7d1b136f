"""The client's copy of her file carries the ward's records of her operations (GDPR art. 15):
bounded on their own, they no longer count against the 2000 entries of the rest of the file,
which twenty operations observed to the journey's bound of 100 filled, refusing her copy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.client_file import export as client_file_export
from domain.roles import Role
from tests.api.client_file_support import ALLERGY, RECORD_ALLERGY, entry, new_key, write
from tests.api.flow import JourneyDriver
from tests.api.post_op_support import (
    RECORD_OBSERVATION,
    observation_in_the_first_hours,
    operated_yesterday,
    surgical_type,
)
from tests.api.procedure_support import run

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
EXPORT = (
    "mutation E($input: ExportClientFileInput!) { exportClientFile(input: $input) { __typename "
    "... on ClientFileExportPayload { file } ... on ValidationFailed { problems { field message "
    "} } } }"
)


async def _export(clinic: JourneyDriver, client: str) -> dict[str, Any]:
    return await write(clinic, EXPORT, Role.SUPERVISOR, clientId=client, idempotencyKey=new_key())


async def test_her_copy_carries_the_ward_records_beyond_the_entries_bound(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client with an allergy and one operation, observed three times in the ward
    clinic = await fresh_clinic()
    client = await clinic.register_client("Maria Nowak")
    await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    ended = datetime.now(UTC) - timedelta(hours=3)
    jid = await operated_yesterday(client, await surgical_type(clinic), ended)
    for hour in (1, 2, 3):
        input = observation_in_the_first_hours(
            jid, ended + timedelta(hours=hour) - timedelta(minutes=5)
        )
        done = await run(clinic, RECORD_OBSERVATION, Role.NURSE, input=input)
        assert done["__typename"] == "ClientEntryPayload", done
    # And a copy bound to two entries of the file (standing for the 2000)
    monkeypatch.setattr(client_file_export, "MAX_ENTRIES", 2)
    # When a supervisor exports her file
    copy = await _export(clinic, client)
    # Then her copy is made, every observation in it, the allergy too
    assert copy["__typename"] == "ClientFileExportPayload", copy
    observed = [o["observedAt"] for o in copy["file"]["postOpObservations"]]
    assert len(observed) == 3 and observed == sorted(observed)
    assert [a["substance"] for a in copy["file"]["allergies"]] == [ALLERGY["substance"]]
    # And the rest of the file keeps its own bound: a third entry refuses the copy whole
    await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    await entry(clinic, RECORD_ALLERGY, Role.NURSE, clientId=client, **ALLERGY)
    over = await _export(clinic, client)
    assert over["__typename"] == "ValidationFailed", over
    assert over["problems"][0]["message"].startswith("the file holds more than 2 entries"), over
    # And the ward's records are bounded on their own: past it the copy is refused, not cut
    monkeypatch.setattr(client_file_export, "MAX_ENTRIES", 2000)
    monkeypatch.setattr(client_file_export, "MAX_WARD_RECORDS", 2)
    ward = await _export(clinic, client)
    assert ward["__typename"] == "ValidationFailed", ward
    message = ward["problems"][0]["message"]
    assert message.startswith("the file holds more than 2 ward records after an operation"), ward
