"""Listing a clinic's consent template versions (the clinic's staff; `templates` publishes them)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.journey.stages import ConsentKind
from domain.store.consents import TEMPLATE_KEY_MAX_LENGTH
from domain.store.consents import ConsentTemplateVersion as VersionRow
from domain.store.key_order import by_key
from domain.store.sql import columns_of
from domain.store.version_lists import newest_versions
from schema.consents.types import ConsentTemplateVersion
from schema.context import Context
from schema.selection import asks_any

# At most this many versions in one answer, by template, newest first.
LISTED = 500


async def consent_templates(
    info: Info[Context, None],
    template_key: Annotated[
        str | None, strawberry.argument(description="Only this template's versions.")
    ] = None,
    kind: Annotated[
        ConsentKind | None, strawberry.argument(description="Only templates of this kind.")
    ] = None,
    latest_only: Annotated[
        bool,
        strawberry.argument(
            description="Only each template's newest version, however many versions came "
            "before (up to 500 templates; the full list stops at 500 versions)."
        ),
    ] = False,
) -> list[ConsentTemplateVersion] | None:
    """Your clinic's consent template versions: by template key in code point order (as Python
    sorts, with `latestOnly` or without: `key_order`), newest version first."""
    claims = info.context.claims
    if claims is None:
        return []
    if template_key is not None and len(template_key) > TEMPLATE_KEY_MAX_LENGTH:
        return []  # names no template; the column refuses it
    # The texts run to 140 KB a version: read only when the query asks them.
    with_texts = asks_any(info, {"texts"})
    columns = [c for c in columns_of(VersionRow) if with_texts or c != "texts"]
    if latest_only:
        rows = await newest_versions(
            VersionRow,
            claims.clinic_id,
            "template_key",
            limit=LISTED,
            columns=columns,
            equal={"template_key": template_key, "kind": kind.value if kind else None},
        )
    else:
        query = VersionRow.filter(clinic_id=claims.clinic_id)
        if template_key is not None:
            query = query.filter(template_key=template_key)
        if kind is not None:
            query = query.filter(kind=kind.value)
        rows = (
            await by_key(query, VersionRow, "template_key", "-version").limit(LISTED).only(*columns)
        )
    return [ConsentTemplateVersion.from_row(row, with_texts=with_texts) for row in rows]
