"""Reading through the API: sign-in, lists and filters, bad ids and cursors, and the HTTP edges."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from server.seed import DEMO_PASSWORD
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import Api

NOT_SIGNED_IN = {
    "__typename": "NotAuthorized",
    "code": "NOT_AUTHORIZED",
    "message": "sign in first",
}


async def post_raw(api: Api, body: Mapping[str, object]) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.post(api.url, json=body) as response:
        return response.status, await response.json()


async def test_me_needs_a_token(api: Api, driver: JourneyDriver) -> None:
    assert (await api.run(documents.ME))["me"] == NOT_SIGNED_IN
    nurse = driver.staff[Role.NURSE]
    assert (await api.run(documents.ME, nurse.token))["me"] == {
        "__typename": "StaffMember",
        "id": nurse.global_id,
        "username": "nurse",
        "role": "NURSE",
    }


async def test_a_wrong_password_signs_nobody_in(api: Api) -> None:
    for username, password in [("nurse", "wrong-password"), ("nobody", DEMO_PASSWORD)]:
        data = await api.run(documents.LOGIN, input={"username": username, "password": password})
        assert data["login"] == {
            "__typename": "NotAuthorized",
            "code": "NOT_AUTHORIZED",
            "message": "wrong username or password",
        }


async def test_a_bad_cursor_is_a_validation_error(api: Api, driver: JourneyDriver) -> None:
    data = await api.run(documents.JOURNEYS, driver.token(Role.SUPERVISOR), after="garbage")
    assert data["journeys"] == {
        "__typename": "ValidationFailed",
        "code": "VALIDATION_FAILED",
        "message": "after: not a cursor from this API",
        "problems": [{"field": "after", "message": "not a cursor from this API"}],
    }


async def test_node_finds_what_the_viewer_may_see(
    api: Api, driver: JourneyDriver, fresh_clinic: Callable[[], Awaitable[JourneyDriver]]
) -> None:
    journey = await driver.start()
    token = driver.token(Role.FRONT_DESK)
    found = await api.run(documents.NODE, token, id=journey["id"])
    assert found["node"] == {"__typename": "Journey", "id": journey["id"]}
    elsewhere = await (await fresh_clinic()).start()
    for unseen in ("garbage", "", elsewhere["id"]):
        assert (await api.run(documents.NODE, token, id=unseen))["node"] is None, unseen
    # Signed out: null, and an error entry that says why
    with pytest.raises(TransportQueryError) as refused:
        await api.run(documents.NODE, None, id=journey["id"])
    assert refused.value.data == {"node": None}
    assert refused.value.errors == [
        {
            "message": "sign in first",
            "locations": [{"line": 2, "column": 3}],
            "path": ["node"],
            "extensions": {"code": "NOT_AUTHORIZED"},
        }
    ]


async def test_journeys_filter_by_stage_exactly(
    api: Api, fresh_clinic: Callable[[], Awaitable[JourneyDriver]]
) -> None:
    # Given a clinic with one journey at triage, one in consultation and one cancelled
    clinic = await fresh_clinic()
    waiting = await clinic.start()
    consulting = await clinic.assign((await clinic.start())["id"])
    cancelled = await clinic.ok(
        documents.CANCEL_JOURNEY,
        Role.FRONT_DESK,
        journeyId=(await clinic.start())["id"],
        reason="clinic closed",
    )
    assert cancelled["stage"] == "CANCELLED"
    token = clinic.token(Role.SUPERVISOR)

    async def listed(**variables: object) -> list[tuple[str, str]]:
        data = await api.run(documents.JOURNEYS, token, **variables)
        assert data["journeys"]["__typename"] == "JourneyConnection", data
        return [(e["node"]["id"], e["node"]["stage"]) for e in data["journeys"]["edges"]]

    # When the supervisor filters by stage, Then exactly the matching journeys come back
    assert await listed(filter={"stage": "TRIAGE"}) == [(waiting["id"], "TRIAGE")]
    assert await listed(filter={"stage": "CONSULTATION"}) == [(consulting["id"], "CONSULTATION")]
    assert await listed(filter={"stage": "CANCELLED"}) == [(cancelled["id"], "CANCELLED")]
    assert await listed(filter={"stage": "PAYMENT"}) == []
    assert await listed(filter={"activeOnly": True}) == [
        (consulting["id"], "CONSULTATION"),
        (waiting["id"], "TRIAGE"),
    ]
    # And pages follow one another, newest first, without gaps
    first = await api.run(documents.JOURNEYS, token, first=2)
    page = first["journeys"]
    assert [e["node"]["id"] for e in page["edges"]] == [cancelled["id"], consulting["id"]]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await api.run(documents.JOURNEYS, token, first=2, after=page["pageInfo"]["endCursor"])
    assert [e["node"]["id"] for e in rest["journeys"]["edges"]] == [waiting["id"]]
    assert rest["journeys"]["pageInfo"]["hasNextPage"] is False
    # And each page says whether journeys precede it and where it starts
    assert page["pageInfo"]["hasPreviousPage"] is False
    assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
    assert rest["journeys"]["pageInfo"]["hasPreviousPage"] is True
    assert rest["journeys"]["pageInfo"]["startCursor"] == rest["journeys"]["edges"][0]["cursor"]


async def test_a_wrongly_typed_variable_is_a_graphql_error(api: Api) -> None:
    body = {
        "query": "query Q($first: Int!) { journeys(first: $first) { __typename } }",
        "variables": {"first": "many"},
    }
    status, answer = await post_raw(api, body)
    assert status != 500
    assert status in (200, 400)
    assert answer["data"] is None
    assert answer["errors"] == [
        {
            "message": "Variable '$first' has invalid value: "
            "Int cannot represent non-integer value: 'many'",
            "locations": [{"line": 1, "column": 9}],
            "extensions": {
                "code": "VALIDATION_FAILED",
                "field": "first",
                "problemCode": "BAD_FORMAT",
            },
        }
    ]


async def test_too_deep_a_query_is_refused(api: Api) -> None:
    nested = "{ history " * 11 + "{ seq }" + " }" * 11
    status, answer = await post_raw(api, {"query": f"query Deep {{ me {nested} }}"})
    assert status != 500
    assert answer["data"] is None
    messages = [error["message"] for error in answer["errors"]]
    assert "'Deep' exceeds maximum operation depth of 10" in messages


async def test_queries_work_over_get_but_mutations_do_not(api: Api, driver: JourneyDriver) -> None:
    headers = {"Authorization": f"Bearer {driver.token(Role.CASHIER)}"}
    async with aiohttp.ClientSession() as http:
        query = {"query": "{ me { __typename ... on StaffMember { username } } }"}
        async with http.get(api.url, params=query, headers=headers) as response:
            assert response.status == 200
            assert await response.json() == {
                "data": {"me": {"__typename": "StaffMember", "username": "cashier"}}
            }
        mutation = {
            "query": 'mutation { login(input: {username: "cashier", password: "x"}) '
            "{ __typename } }"
        }
        async with http.get(api.url, params=mutation, headers=headers) as response:
            assert response.status in (400, 405)
            assert "mutations are not allowed when using GET" in await response.text()
