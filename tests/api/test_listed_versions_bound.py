"""Unpaged lists of versions asked many times in one request are refused before they are read:
`consentTemplates` answers up to 500 versions, each with its texts in every language (up to
20,000 characters a section); 30 aliases of it asking one small field each fit every other
limit, and read 15,000 rows with every text in them."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from domain.roles import Role
from domain.store.consents import ConsentTemplateVersion
from tests.api.consent_support import publish
from tests.api.flow import JourneyDriver
from tests.api.hostile import send_graphql

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
VERSIONS = 500
SECTION = "x" * 5_000


def _aliases(count: int) -> str:
    return (
        "query Listed { "
        + " ".join(f"t{n}: consentTemplates {{ version }}" for n in range(count))
        + " }"
    )


async def test_thirty_lists_of_every_consent_template_version_are_refused_unread(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a clinic that published a template's 500 versions, each with long texts
    clinic = await fresh_clinic()
    await publish(clinic, key="filler-consent")
    first = await ConsentTemplateVersion.get(template_key="filler-consent", version=1)
    texts = {lang: {s: SECTION for s in sections} for lang, sections in first.texts.items()}
    columns = {
        f: getattr(first, f) for f in first._meta.db_fields if f not in ("id", "version", "texts")
    }
    await ConsentTemplateVersion.bulk_create(
        [
            ConsentTemplateVersion(**columns, id=f"{first.id}-{v}", version=v, texts=texts)
            for v in range(2, VERSIONS + 1)
        ],
        batch_size=100,
    )
    # When a nurse lists them thirty times in one request, asking only each version's number
    started = time.monotonic()
    answer = await send_graphql(clinic.api, _aliases(30), token=clinic.token(Role.NURSE))
    seconds = time.monotonic() - started
    # Then the request is refused before any list is read, saying what to change
    body = answer.json()
    assert body.get("data") is None, (seconds, str(body)[:300])
    (error,) = body["errors"]
    assert "'Listed' would answer more than 24,000 values" in error["message"], error
    # And one list of them is answered whole
    one = await send_graphql(clinic.api, _aliases(1), token=clinic.token(Role.NURSE))
    assert len(one.json()["data"]["t0"]) == VERSIONS
