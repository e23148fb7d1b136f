"""The GraphQL schema: every area's queries, mutations and subscriptions, assembled here."""

from __future__ import annotations

from pathlib import Path

from schema.build import schema

SCHEMA_SDL_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


def export_sdl() -> str:
    return schema.as_str() + "\n"


__all__ = ["SCHEMA_SDL_PATH", "export_sdl", "schema"]
