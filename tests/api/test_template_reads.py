"""The lists of consent template and procedure type versions read no more than they answer:
newest only, each key's newest is picked by the database, in key order, up to the list's 500
(every key of the clinic was read, whole, and the list cut afterwards); and a version's texts
(up to 140 KB) or content are read only when the query asks them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.roles import Role
from domain.store.consents import ConsentTemplateVersion
from domain.store.procedures import ProcedureTypeVersion
from tests.api.consent_support import publish
from tests.api.flow import JourneyDriver
from tests.api.procedure_support import set_type, type_input
from tests.api.rows_read import count_reads

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
SECTION = "x" * 5_000
LISTED = 500
# What a version holds without its texts or content (ids, key, hash, times): well under this.
ROW_WITHOUT_TEXTS = 1_000


def _copies(first: Any, skip: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(first, f) for f in first._meta.db_fields if f not in ("id", *skip)}


async def _long_versions(clinic: JourneyDriver, count: int) -> str:
    """A template published in `count` versions, each with 140 KB of texts: its first text's
    title."""
    # A key of its own: other tests look their template up by key in every clinic.
    await publish(clinic, key="long-consent")
    first = await ConsentTemplateVersion.get(template_key="long-consent", version=1)
    texts = {lang: {s: SECTION for s in sections} for lang, sections in first.texts.items()}
    columns = _copies(first, ("version", "texts"))
    await ConsentTemplateVersion.bulk_create(
        [
            ConsentTemplateVersion(**columns, id=f"{first.id}-{v}", version=v, texts=texts)
            for v in range(2, count + 1)
        ],
        batch_size=10,
    )
    return SECTION


async def test_a_list_not_asking_texts_reads_none(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a template in 20 versions of 140 KB of texts each
    clinic = await fresh_clinic()
    title = await _long_versions(clinic, 20)
    reads = count_reads(monkeypatch, "consent_template_version")
    nurse = clinic.token(Role.NURSE)
    # When its versions are listed by number, and newest only by key and number
    listed = await clinic.api.run("{ consentTemplates { version } }", nurse)
    assert len(listed["consentTemplates"]) == 20
    newest = await clinic.api.run(
        "{ consentTemplates(latestOnly: true) { templateKey version } }", nurse
    )
    assert newest["consentTemplates"] == [{"templateKey": "long-consent", "version": 20}]
    # Then no text was read
    assert reads.rows == 21 and reads.bytes < 21 * ROW_WITHOUT_TEXTS, (reads.rows, reads.bytes)
    # And texts asked in a fragment (inline or named) are read and answered
    for document in (
        "{ consentTemplates(latestOnly: true) {"
        " ... on ConsentTemplateVersion { texts { title } } } }",
        "query { consentTemplates(latestOnly: true) { ...T } }"
        " fragment T on ConsentTemplateVersion { texts { risks } }",
    ):
        answer = (await clinic.api.run(document, nurse))["consentTemplates"]
        assert {s for version in answer for t in version["texts"] for s in t.values()} == {title}


async def test_newest_only_reads_no_more_templates_than_it_lists(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a clinic with 600 templates, one of them in two versions, keys in mixed case
    clinic = await fresh_clinic()
    await publish(clinic, key="k0000")
    await publish(clinic, key="k0000", edition="(revised)")
    first = await ConsentTemplateVersion.get(template_key="k0000", version=1)
    columns = _copies(first, ("template_key",))
    keys = ["k0000", *(f"{'K' if n % 3 else 'k'}{n:04d}" for n in range(1, 600))]
    await ConsentTemplateVersion.bulk_create(
        [
            ConsentTemplateVersion(**columns, id=f"{first.id}-{key}", template_key=key)
            for key in keys[1:]
        ],
        batch_size=100,
    )
    reads = count_reads(monkeypatch, "consent_template_version")
    # When their newest versions are listed
    query = "{ consentTemplates(latestOnly: true) { templateKey version } }"
    listed = (await clinic.api.run(query, clinic.token(Role.NURSE)))["consentTemplates"]
    # Then the first 500 keys in byte order are answered, each at its newest version
    assert [t["templateKey"] for t in listed] == sorted(keys)[:LISTED]
    assert {t["version"] for t in listed if t["templateKey"] == "k0000"} == {2}
    # And no more rows than that were read
    assert reads.rows <= LISTED, reads.rows


async def test_newest_procedure_types_read_no_more_than_listed_and_no_content(
    fresh_clinic: FreshClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a clinic with 600 procedure types
    clinic = await fresh_clinic()
    await set_type(clinic, type_input("peel-0000"))
    first = await ProcedureTypeVersion.get(type_key="peel-0000", clinic_id__isnull=False)
    columns = _copies(first, ("type_key",))
    keys = [f"peel-{n:04d}" for n in range(600)]
    await ProcedureTypeVersion.bulk_create(
        [ProcedureTypeVersion(**columns, id=f"{first.id}-{k}", type_key=k) for k in keys[1:]],
        batch_size=100,
    )
    reads = count_reads(monkeypatch, "procedure_type_version")
    # When their newest versions are listed by key, category and number
    query = "{ procedureTypes(latestOnly: true) { typeKey category version } }"
    listed = (await clinic.api.run(query, clinic.token(Role.FRONT_DESK)))["procedureTypes"]
    # Then the first 500 are answered, without reading more rows, or any content
    assert [t["typeKey"] for t in listed] == keys[:LISTED]
    assert all(t["category"] for t in listed)
    assert reads.rows <= LISTED, reads.rows
    assert reads.bytes < LISTED * ROW_WITHOUT_TEXTS, reads.bytes
    # And the content, asked, is read
    asked = '{ procedureTypes(typeKey: "peel-0001", latestOnly: true) { checklist { code } } }'
    (one,) = (await clinic.api.run(asked, clinic.token(Role.FRONT_DESK)))["procedureTypes"]
    assert one["checklist"] and all(item["code"] for item in one["checklist"])
