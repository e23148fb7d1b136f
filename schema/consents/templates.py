"""Publishing consent template versions (supervisors; `template_list` lists them).

Each publication is a new version, numbered after the template's latest; the content hash is
computed from the canonical form and stored with it. Two supervisors publishing at once race
for the same number: the database's uniqueness decides and the loser tries the next number.
A new version keeps the template's kind and procedure type (`kept_problems`): checked before
the key is claimed, and again against the version a lost race found, the one it would follow.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from domain.consent.templates import TemplateContent, check_template, content_hash, kept_problems
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.stages import ConsentKind
from domain.store import records
from domain.store.consents import ConsentTemplateVersion as VersionRow
from domain.store.records import KeyClaim
from schema import idempotency
from schema.clients.file_mutations import invalid
from schema.consents.types import ConsentTemplateVersion
from schema.context import Context
from schema.errors import Conflict, NotAuthorized, ValidationFailed, not_authorized
from schema.text import check_text

PUBLISH_ATTEMPTS = 5
VERSION_KIND = "consent_template"  # the kind of id a version derives from its claim


@strawberry.input(description="A consent's text in one language.")
class ConsentTextInput:
    language: str = strawberry.field(description="Language code: pl, ru, zh, en, ...")
    title: str = strawberry.field(description="The procedure and consent named.")
    purpose: str = strawberry.field(description="What the intervention is for.")
    expected_effect: str = strawberry.field(description="The effect to expect.")
    risks: str = strawberry.field(description="The risks.")
    complications: str = strawberry.field(description="Possible complications.")
    alternatives: str = strawberry.field(description="The alternatives, doing nothing included.")
    aftercare: str = strawberry.field(description="Aftercare the client must follow.")


@strawberry.input(description="A new version of a consent template.")
class PublishConsentTemplateInput:
    template_key: str = strawberry.field(description="The template (e.g. 'filler-procedure').")
    procedure_type: str = strawberry.field(
        description="The procedure type (e.g. 'filler'): the template's later versions keep it "
        "(`ValidationFailed` on `procedureType` otherwise)."
    )
    kind: ConsentKind = strawberry.field(
        description="Which consent: the template's later versions keep it (`ValidationFailed` "
        "on `kind` otherwise; another consent is another template)."
    )
    texts: list[ConsentTextInput] = strawberry.field(
        description="At least Polish, Russian, Chinese and English; one entry per language."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The version as published (or as the first attempt published it).")
class ConsentTemplatePayload:
    template: ConsentTemplateVersion = strawberry.field(description="The new version.")


PublishConsentTemplateResult = Annotated[
    ConsentTemplatePayload | NotAuthorized | ValidationFailed | Conflict,
    strawberry.union("PublishConsentTemplateResult", description="Published, or why not."),
]


def _texts(
    input: PublishConsentTemplateInput,
) -> tuple[dict[str, dict[str, str]], list[FieldProblem]]:
    texts: dict[str, dict[str, str]] = {}
    problems: list[FieldProblem] = []
    for text in input.texts:
        if text.language in texts:
            problems.append(
                FieldProblem("texts", f"'{text.language}' is given twice", Code.DUPLICATE)
            )
        sections = {k: v for k, v in vars(text).items() if k != "language"}
        texts[text.language] = sections
    return texts, problems


async def publish_consent_template(
    info: Info[Context, None], input: PublishConsentTemplateInput
) -> PublishConsentTemplateResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    texts, problems = _texts(input)
    problems += check_text("templateKey", input.template_key, required=True, limit=100)
    problems += check_template(input.template_key, input.procedure_type, texts)
    bad_key = records.key_problem(input.idempotency_key)
    if problems or bad_key:
        return invalid([*problems, *([bad_key] if bad_key else [])])

    async def published(earlier: KeyClaim) -> bool:
        derived = idempotency.derived_id(earlier, VERSION_KIND)
        return derived is not None and await VersionRow.exists(id=derived)

    # A retry of a version published before (its answer lost or not) is answered as it was.
    changed = _changes(await _latest(claims.clinic_id, input.template_key), input)
    refused = await idempotency.refusal_answer(
        info,
        claims.account_id,
        input,
        invalid(changed) if changed else None,
        went_through=published,
    )
    if refused is not None:
        return refused
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    if first is not None:
        return ConsentTemplatePayload(
            template=ConsentTemplateVersion.from_row(await VersionRow.get(id=first))
        )
    row_id = idempotency.derived_id(ledger, VERSION_KIND)
    row_id = row_id or str(uuid.uuid4())
    row = await VersionRow.get_or_none(id=row_id)  # an unfinished first attempt's version
    for _ in range(PUBLISH_ATTEMPTS):
        if row is not None:
            break
        written = await _publish_next(row_id, claims.clinic_id, claims.account_id, input, texts)
        if isinstance(written, list):
            # The race for a first version was lost to another consent: the key stays
            # claimed, unsettled, with nothing written; its retry is refused before a claim.
            return invalid(written)
        row = written
    if row is None:
        return idempotency.conflict()
    await idempotency.settle(claims.account_id, input, row.id)
    return ConsentTemplatePayload(template=ConsentTemplateVersion.from_row(row))


async def _publish_next(
    row_id: str,
    clinic_id: str,
    account_id: str,
    input: PublishConsentTemplateInput,
    texts: dict[str, dict[str, str]],
) -> VersionRow | list[FieldProblem] | None:
    """The version written; what it would change of the template, when the template's newest
    version is of another consent (nothing written); None when another publication took the
    number."""
    latest = await _latest(clinic_id, input.template_key)
    changed = _changes(latest, input)
    if changed:
        return changed
    version = (latest.version if latest else 0) + 1
    content = TemplateContent(input.template_key, input.procedure_type, input.kind, version, texts)
    try:
        return await VersionRow.create(
            id=row_id,
            clinic_id=clinic_id,
            template_key=input.template_key,
            procedure_type=input.procedure_type,
            kind=input.kind.value,
            version=version,
            texts=texts,
            content_hash=content_hash(content),
            published_by=account_id,
            published_at=datetime.now(UTC),
        )
    except IntegrityError:
        # Another publication took this number (try the next), or this request's own retry
        # wrote the row under its id.
        return await VersionRow.get_or_none(id=row_id)


async def _latest(clinic_id: str, template_key: str) -> VersionRow | None:
    query = VersionRow.filter(clinic_id=clinic_id, template_key=template_key)
    return await query.order_by("-version").first()


def _changes(latest: VersionRow | None, input: PublishConsentTemplateInput) -> list[FieldProblem]:
    """What the input would change of the template whose newest version is `latest`."""
    if latest is None:
        return []
    kind = ConsentKind(latest.kind)
    content = TemplateContent(
        latest.template_key, latest.procedure_type, kind, latest.version, latest.texts
    )
    return kept_problems(content, input.kind, input.procedure_type)
