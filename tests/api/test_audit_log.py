"""`auditLog`: a client's entries for supervisors of the client's clinic, newest first, in pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from domain.audit import GENESIS
from domain.roles import STAFF_ROLES, Role
from domain.store.audit_models import AuditEntry
from schema.ids import encode_cursor
from tests.api.audit_support import (
    AUDIT_LOG,
    CLIENT,
    clinic_of,
    new_request_id,
    raw_client,
    run_traced,
)
from tests.api.flow import JourneyDriver
from tests.api.harness import Api

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def _log(api: Api, token: str | None, client: str, **page: Any) -> dict[str, Any]:
    data = await api.run(AUDIT_LOG, token, clientId=client, **page)
    return data["auditLog"]  # type: ignore[no-any-return]


def _actions(page: dict[str, Any]) -> list[tuple[int, str]]:
    assert page["__typename"] == "AuditLogConnection", page
    return [(e["node"]["seq"], e["node"]["action"]) for e in page["edges"]]


async def test_pages_run_newest_first_without_gaps(api: Api, fresh_clinic: FreshClinic) -> None:
    # Given a client registered (seq 1 and 2) and then read three times (seq 3 to 5)
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    read_ids = [new_request_id() for _ in range(3)]
    for request_id in read_ids:
        await run_traced(api, CLIENT, clinic.token(Role.CONSULTANT), request_id, id=client)
    supervisor = clinic.token(Role.SUPERVISOR)

    # When the supervisor pages through its audit log two at a time
    first = await _log(api, supervisor, client, first=2)
    second = await _log(api, supervisor, client, first=2, after=first["pageInfo"]["endCursor"])
    last = await _log(api, supervisor, client, first=2, after=second["pageInfo"]["endCursor"])

    # Then the pages follow the chain backwards; the log's own reads (appended meanwhile, as
    # `audit.read`) do not shift the pages already being read
    assert _actions(first) == [(5, "client.read"), (4, "client.read")]
    assert _actions(second) == [(3, "client.read"), (2, "client.read")]
    assert _actions(last) == [(1, "registerClient")]
    assert [p["pageInfo"]["hasNextPage"] for p in (first, second, last)] == [True, True, False]
    assert [p["pageInfo"]["hasPreviousPage"] for p in (first, second, last)] == [False, True, True]
    assert [p["pageInfo"]["startCursor"] for p in (first, second, last)] == [
        p["edges"][0]["cursor"] for p in (first, second, last)
    ]
    newest = _actions(await _log(api, supervisor, client))
    assert newest[:3] == [(8, "audit.read"), (7, "audit.read"), (6, "audit.read")]
    assert len(newest) == 8  # the default page holds them all; this read is recorded after it

    # And each entry says who, as what, for which client, in which request, chained
    top = first["edges"][0]["node"]
    assert top["actorId"] == clinic.staff[Role.CONSULTANT].account_id
    username = clinic.staff[Role.CONSULTANT].username
    assert (top["actorRole"], top["actor"]) == ("CONSULTANT", {"username": username})
    assert (top["clientId"], top["requestId"]) == (client, read_ids[-1])
    stored = {r.seq: r for r in await AuditEntry.filter(client_id=raw_client(client))}
    nodes = [e["node"] for page in (first, second, last) for e in page["edges"]]
    for node in nodes:
        row = stored[node["seq"]]
        assert (node["id"], node["hash"], node["prevHash"]) == (row.id, row.hash, row.prev_hash)
    assert nodes[-1]["prevHash"] == GENESIS
    assert [n["prevHash"] for n in nodes[:-1]] == [n["hash"] for n in nodes[1:]]


async def test_only_supervisors_of_the_clinic_may_read_it(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given a client of one clinic
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    client = await clinic.register_client()
    before = await AuditEntry.filter(clinic_id=clinic_id).count()
    # Then every other role is refused, as is anyone not signed in
    for role in STAFF_ROLES:
        if role is Role.SUPERVISOR:
            continue
        refused = await _log(api, clinic.token(role), client)
        assert refused == {
            "__typename": "NotAuthorized",
            "code": "NOT_AUTHORIZED",
            "message": "Query.auditLog needs one of: SUPERVISOR",
        }, role
    assert (await _log(api, None, client))["__typename"] == "NotAuthorized"
    # And another clinic's supervisor does not find the client at all
    elsewhere = await fresh_clinic()
    assert await _log(api, elsewhere.token(Role.SUPERVISOR), client) == {
        "__typename": "NotFound",
        "code": "NOT_FOUND",
        "message": "client not found",
    }
    # And none of these refusals read anything, so none left an entry
    assert await AuditEntry.filter(clinic_id=clinic_id).count() == before


async def test_bad_pages_and_ids_are_typed_errors(api: Api, fresh_clinic: FreshClinic) -> None:
    clinic = await fresh_clinic()
    client = await clinic.register_client()
    supervisor = clinic.token(Role.SUPERVISOR)

    def cursor_at(seq: str) -> str:
        return encode_cursor(datetime.now(UTC), seq)

    bad_pages: list[tuple[dict[str, Any], str]] = [
        ({"first": 0}, "first"),
        ({"first": 101}, "first"),
        ({"after": "x"}, "after"),
        ({"after": cursor_at("journey-1")}, "after"),
        # Digits `int()` refuses or reads, and a number past the column's range
        ({"after": cursor_at("\u00b2")}, "after"),
        ({"after": cursor_at("\u0661\u0662")}, "after"),
        ({"after": cursor_at("9" * 40)}, "after"),
    ]
    for page, field in bad_pages:
        refused = await _log(api, supervisor, client, **page)
        assert refused["__typename"] == "ValidationFailed", page
        assert [p["field"] for p in refused["problems"]] == [field]
    for unknown in ("garbage", clinic.staff[Role.NURSE].global_id):
        assert (await _log(api, supervisor, unknown))["__typename"] == "NotFound", unknown
