"""The committed schema.graphql is the contract SPA teams code against: it must be current."""

from __future__ import annotations

from schema import SCHEMA_SDL_PATH, export_sdl


def test_committed_schema_matches_the_code() -> None:
    committed = SCHEMA_SDL_PATH.read_text(encoding="utf-8")
    assert committed == export_sdl(), "schema.graphql is stale: run `make schema` and commit it"
