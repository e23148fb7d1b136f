"""GraphiQL works offline: the page and every asset it loads come from the API server itself, and
a query typed into it runs. Driven in a real headless Chromium."""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from temporalio.testing import WorkflowEnvironment

from tests.api.browser import chromium_binary, ci, open_page
from tests.api.conftest import TASK_QUEUE, api_settings
from tests.api.harness import Api, running_api

PAGE_TIMEOUT = 60.0
QUERY = "query Hello { __typename }"


@pytest.fixture
async def ide_api(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> AsyncIterator[Api]:
    # As under `glowpath dev`: the IDE, and the introspection it reads the schema with.
    settings = dataclasses.replace(
        api_settings(database, temporal_address, TASK_QUEUE), graphiql=True, introspection=True
    )
    async with running_api(settings, temporal_env.client) as running:
        yield running


@pytest.fixture
def chromium() -> str:
    found = chromium_binary()
    if found is None:
        if ci():
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium package)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


async def test_page_names_only_assets_of_its_own_server(ide_api: Api) -> None:
    # Given the API with GraphiQL on, when a browser asks for the page
    async with aiohttp.ClientSession() as http:
        async with http.get(ide_api.url, headers={"Accept": "text/html"}) as answer:
            assert answer.status == 200
            page = await answer.text()
        # Then it names no other host, and each asset it names is served
        assert "https://" not in page and "http://" not in page and "//" + "unpkg" not in page
        base = ide_api.url.rsplit("/", 1)[0]
        for asset in (
            "graphiql/react/react.production.min.js",
            "graphiql/react-dom/react-dom.production.min.js",
            "graphiql/graphiql/graphiql.min.js",
            "graphiql/graphiql/graphiql.min.css",
        ):
            assert asset in page
            async with http.get(f"{base}/{asset}") as answer:
                assert answer.status == 200, asset
        # And the folder is not listed
        async with http.get(f"{base}/graphiql/") as answer:
            assert answer.status in (403, 404)


async def test_graphiql_renders_and_runs_a_query_in_chromium(
    ide_api: Api, chromium: str, tmp_path: Path
) -> None:
    # Given the page opened in headless Chromium with a query in its address
    url = f"{ide_api.url}?{urllib.parse.urlencode({'q': QUERY})}"
    async with open_page(chromium, tmp_path / "profile", url) as page:
        # When the IDE has rendered
        await page.wait_for(
            "!!document.querySelector('.graphiql-execute-button')",
            timeout=PAGE_TIMEOUT,
            what="GraphiQL's run button",
        )
        # And the query is run with its button
        await page.evaluate("document.querySelector('.graphiql-execute-button').click()")
        # Then the answer of this server shows in the result pane
        shown = await page.wait_for(
            "(document.querySelector('.graphiql-response') || {}).innerText",
            timeout=PAGE_TIMEOUT,
            what="the query's result",
        )
        shown = await page.wait_for(
            "(() => { const t = document.querySelector('.graphiql-response').innerText;"
            " return t.includes('Query') ? t : ''; })()",
            timeout=PAGE_TIMEOUT,
            what=f"a result in the pane (it showed {shown!r})",
        )
        assert '"__typename": "Query"' in shown
        requests = list(page.requests)
    # And nothing was asked of any other host
    origin = ide_api.url.rsplit("/", 1)[0]
    elsewhere = [u for u in requests if not u.startswith((origin + "/", "data:", "ws://127.0.0.1"))]
    assert not elsewhere, elsewhere
    assert any(u.endswith("graphiql.min.js") for u in requests), requests
