"""Who witnessed a consent (`ConsentSignature.witnessRole`) and who recorded a disclosure
(`FileDisclosure.recordedByRole`) are the `Role` enum, as the journey's events' `actorRole` is: a
screen switches on one enum, not on strings it must keep in step. A stored role this release does
not know (a later release's, read after a rollback) is an error of that field, never a fault."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.disclosures import FileDisclosure
from tests.api import test_file_disclosures as disclosures
from tests.api import test_sharing_consent as sharing
from tests.api.flow import JourneyDriver

FIELD_TYPE = """
query($type: String!) {
  __type(name: $type) { fields { name type { kind ofType { kind name } } } }
}
"""


async def _type_of(driver: JourneyDriver, type_name: str, field: str) -> dict[str, Any]:
    data = await driver.api.run(FIELD_TYPE, driver.token(Role.SUPERVISOR), type=type_name)
    (found,) = [f["type"] for f in data["__type"]["fields"] if f["name"] == field]
    return found  # type: ignore[no-any-return]


async def test_the_witness_and_the_recorder_are_told_as_roles(driver: JourneyDriver) -> None:
    # Given a client's DATA_SHARING consent witnessed by a nurse, and a disclosure on it
    client_id = await driver.register_client()
    template = await sharing._template(driver)
    signed = await sharing._run(
        driver, sharing.SIGN, Role.NURSE, **sharing._signing(client_id, template)
    )
    made = await disclosures._record(driver, Role.SUPERVISOR, disclosures._disclosure(client_id))
    # Then each names its role by the Role enum, never null
    assert signed["signature"]["witnessRole"] == "NURSE"
    assert made["disclosure"]["recordedByRole"] == "SUPERVISOR"
    role = {"kind": "NON_NULL", "ofType": {"kind": "ENUM", "name": "Role"}}
    assert await _type_of(driver, "ConsentSignature", "witnessRole") == role
    assert await _type_of(driver, "FileDisclosure", "recordedByRole") == role
    assert await _type_of(driver, "JourneyEvent", "actorRole") == role


async def test_a_role_this_release_does_not_know_is_an_error_of_its_field(
    driver: JourneyDriver,
) -> None:
    # Given a disclosure recorded by a role a later release added
    client_id = await driver.register_client()
    template = await sharing._template(driver)
    await sharing._run(driver, sharing.SIGN, Role.NURSE, **sharing._signing(client_id, template))
    made = await disclosures._record(driver, Role.SUPERVISOR, disclosures._disclosure(client_id))
    row = await FileDisclosure.get(id=made["disclosure"]["id"])
    later = {k: v for k, v in dict(row).items() if k not in ("id", "client")}
    await FileDisclosure.create(**{**later, "id": str(uuid.uuid4()), "recorded_by_role": "SCRIBE"})
    # When a supervisor lists the client's disclosures
    with pytest.raises(TransportQueryError) as refused:
        await driver.api.run(disclosures.LIST, driver.token(Role.SUPERVISOR), clientId=client_id)
    # Then the answer names that field and says why, not "Unexpected error."
    (error,) = refused.value.errors or []
    assert error["message"] == "a role this release does not know: SCRIBE", error
    assert error["path"][-1] == "recordedByRole", error
