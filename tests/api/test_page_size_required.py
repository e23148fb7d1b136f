"""`auditLog` and `fileDisclosures` take `first: Int! = 20`, as every other paged list does: left
out, the default page; null is no page size, refused by GraphQL before anything is read (it was
taken as the default on these two alone), told as such and never a server fault."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from domain.roles import Role
from domain.store.audit_models import AuditEntry
from tests.api import test_file_disclosures as disclosures
from tests.api import test_sharing_consent as sharing
from tests.api.audit_support import AUDIT_LOG, raw_client
from tests.api.flow import JourneyDriver

ARGUMENT_TYPE = """
query { __type(name: "Query") { fields { name args { name type { kind ofType { name } } } } } }
"""
LITERAL_NULL = {
    field: f"query($c: ID!) {{ {field}(clientId: $c, first: null) {{ __typename }} }}"
    for field in ("auditLog", "fileDisclosures")
}


async def _post(driver: JourneyDriver, document: str, **variables: Any) -> dict[str, Any]:
    """The answer as sent over HTTP, whatever it holds: a 200 with data or errors."""
    headers = {"Authorization": f"Bearer {driver.token(Role.SUPERVISOR)}"}
    body = {"query": document, "variables": variables}
    async with aiohttp.ClientSession() as session:
        async with session.post(driver.api.url, json=body, headers=headers) as response:
            assert response.status == 200, await response.text()
            return await response.json()  # type: ignore[no-any-return]


async def _client_with_a_disclosure(driver: JourneyDriver) -> str:
    client_id = await driver.register_client()
    template = await sharing._template(driver)
    await sharing._run(driver, sharing.SIGN, Role.NURSE, **sharing._signing(client_id, template))
    made = await disclosures._record(driver, Role.SUPERVISOR, disclosures._disclosure(client_id))
    assert made["__typename"] == "FileDisclosurePayload", made
    return client_id


async def test_the_two_lists_take_a_page_size_that_is_never_null(driver: JourneyDriver) -> None:
    data = await driver.api.run(ARGUMENT_TYPE, driver.token(Role.SUPERVISOR))
    fields = {f["name"]: f for f in data["__type"]["fields"]}
    for name in ("auditLog", "fileDisclosures", "clients"):
        (first,) = [a["type"] for a in fields[name]["args"] if a["name"] == "first"]
        assert first == {"kind": "NON_NULL", "ofType": {"name": "Int"}}, name


@pytest.mark.parametrize("field", ["auditLog", "fileDisclosures"])
async def test_a_null_page_size_is_refused_before_anything_is_read(
    driver: JourneyDriver, field: str
) -> None:
    # Given a client with a disclosure, and the entries of her audit trail
    client_id = await _client_with_a_disclosure(driver)
    entries = await AuditEntry.filter(client_id=raw_client(client_id)).count()
    document = AUDIT_LOG if field == "auditLog" else disclosures.LIST
    # When a supervisor asks for her list with `first` null, as a variable or written out
    by_variable = await _post(driver, document, clientId=client_id, first=None)
    written = await _post(driver, LITERAL_NULL[field], c=client_id)
    # Then GraphQL refuses both, naming `first`, and nothing is read or recorded as read
    assert by_variable["data"] == {field: None} or by_variable["data"] is None, by_variable
    (error,) = by_variable["errors"]
    assert error["message"].startswith("Argument 'first' has invalid value"), error
    assert "non-null type 'Int!'" in error["message"], error
    assert "data" not in written or written["data"] is None, written
    (error,) = written["errors"]
    assert "Int!" in error["message"] and "null" in error["message"], error
    assert await AuditEntry.filter(client_id=raw_client(client_id)).count() == entries
    # And left out, `first` is the default page
    page = await _post(driver, document, clientId=client_id)
    assert page["data"][field]["edges"], page
