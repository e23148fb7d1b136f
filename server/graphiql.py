"""GraphiQL served from this package: the page and the IDE's pinned assets (React, ReactDOM,
GraphiQL with its CSS), so the IDE works without internet access. Strawberry's own page loads
them from a CDN and stays a blank "Loading..." offline."""

from __future__ import annotations

import functools
from pathlib import Path

from aiohttp import web

ASSETS_DIR = Path(__file__).resolve().parent / "static" / "graphiql"
# The page is served at /graphql and names its assets relative to it: graphiql/<package>/<file>.
ASSETS_PREFIX = "/graphiql"


@functools.cache
def page_html() -> str:
    return (ASSETS_DIR / "index.html").read_text(encoding="utf-8")


def add_asset_routes(app: web.Application) -> None:
    """The assets under ``/graphiql/``; no directory listings."""
    app.router.add_static(ASSETS_PREFIX, ASSETS_DIR, show_index=False, follow_symlinks=False)
