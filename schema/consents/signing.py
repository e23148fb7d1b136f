"""What `signConsent` adds to a journey step: the exact text signed, by whom, how.

The template is found by the input's `templateId` (a template's key) and `templateVersion`
(its version number). Once a clinic has published a template under that key, a signature must
name one of its versions, in one of its languages, for its kind, and no newer version may
offer that language (the client signs the text the clinic stands by); the signature row is written
once the journey accepted the step, under an id derived from the request's key, so a retry
converges on one row. A key no template was published under is signed as before (template id
and version only), which keeps journeys of clinics without published templates working.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from domain.consent.signature import SignatureFormat, SignerCapacity, check_drawn_signature
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.stages import ConsentKind
from domain.store.consents import ConsentSignature as SignatureRow
from domain.store.consents import ConsentTemplateVersion as VersionRow
from domain.store.consents import ConsentWithdrawal
from domain.store.disclosures import client_locked
from domain.store.models import Journey as JourneyRow
from domain.text import one_line
from schema.ids import INTEGER_MAX, whole_number


@dataclass(frozen=True)
class Signing:
    """Everything of one signature but the journey and the row's id."""

    version: VersionRow
    kind: ConsentKind
    language: str
    signer_name: str
    capacity: SignerCapacity
    guardian_name: str | None
    guardian_relation: str | None
    witness: tuple[str, str]
    signature: tuple[SignatureFormat, str] | None


def capacity_problems(
    capacity: SignerCapacity, guardian_name: str | None, relation: str | None
) -> list[FieldProblem]:
    if capacity is not SignerCapacity.GUARDIAN:
        return []
    problems = []
    if not (guardian_name or "").strip():
        problems.append(
            FieldProblem("guardianName", "a guardian signs with their name", Code.REQUIRED)
        )
    if not (relation or "").strip():
        problems.append(
            FieldProblem("guardianRelation", "say how the guardian is related", Code.REQUIRED)
        )
    return problems


def signature_problems(signature: tuple[SignatureFormat, str] | None) -> list[FieldProblem]:
    return check_drawn_signature(*signature) if signature else []


async def find_version(
    clinic_id: str, template_key: str, version: str, kind: ConsentKind, language: str
) -> tuple[VersionRow | None, list[FieldProblem]]:
    """The version signed; (None, []) when no template is published under the key."""
    published = VersionRow.filter(clinic_id=clinic_id, template_key=template_key)
    if not await published.exists():
        return None, []
    number = whole_number(version, INTEGER_MAX)
    row = await published.filter(version=number).first() if number is not None else None
    if row is None:
        return None, [
            FieldProblem("templateVersion", "no such published version", Code.UNKNOWN_VALUE)
        ]
    problems = await _replaced(published, row, language)
    if row.kind != kind.value:
        problems.append(
            FieldProblem("kind", f"this template is a {row.kind} consent", Code.INCONSISTENT)
        )
    if language not in row.texts:
        offered = ", ".join(sorted(row.texts))
        problems.append(
            FieldProblem("language", f"the template is in: {offered}", Code.UNKNOWN_VALUE)
        )
    return row, problems


async def _replaced(
    published: QuerySet[VersionRow], row: VersionRow, language: str
) -> list[FieldProblem]:
    """A version a newer one replaced in the signer's language is not signed: the clinic
    published the newer text (a risk added, a wording corrected) for clients to read and sign.
    A language only an older version has keeps that version signable."""
    newer = await published.filter(version__gt=row.version).order_by("-version")
    current = next((v for v in newer if language in v.texts), None)
    if current is None:
        return []
    message = f"version {row.version} was replaced by version {current.version}: sign that one"
    return [FieldProblem("templateVersion", message, Code.NOT_ALLOWED_NOW)]


async def write_signature(signature_id: str, journey: JourneyRow, s: Signing) -> SignatureRow:
    owner = (journey.clinic_id, journey.client_id)
    return await write_signature_for(signature_id, owner, s, journey.id)


async def write_signature_for(
    signature_id: str, owner: tuple[str, str], s: Signing, journey_id: str | None = None
) -> SignatureRow:
    """The signature of the client `owner` names (clinic, client), in the journey `journey_id`
    or, None, for the client in no journey (`schema.consents.sharing`)."""
    fmt, data = s.signature if s.signature else (None, None)
    try:
        return await SignatureRow.create(
            id=signature_id,
            clinic_id=owner[0],
            client_id=owner[1],
            journey_id=journey_id,
            template_version_id=s.version.id,
            content_hash=s.version.content_hash,
            kind=s.kind.value,
            language=s.language,
            signer_name=one_line(s.signer_name),
            capacity=s.capacity.value,
            guardian_name=None if s.guardian_name is None else one_line(s.guardian_name),
            guardian_relation=s.guardian_relation,
            witness_id=s.witness[0],
            witness_role=s.witness[1],
            signature_format=fmt.value if fmt else None,
            signature_data=data,
            signed_at=datetime.now(UTC),
        )
    except IntegrityError:
        return await SignatureRow.get(id=signature_id)  # this request's earlier attempt


async def write_withdrawal(
    withdrawal_id: str, journey: JourneyRow, kind: ConsentKind, recorded_by: str, asked_at: datetime
) -> None:
    """Marks the journey's signature of `kind` that was in force when the withdrawal was asked
    (`asked_at`) as withdrawn (none: nothing to mark). Not the one in force now: a retry after a
    lost answer, when the client has signed the kind again since, must leave that new signature
    standing."""
    if await ConsentWithdrawal.exists(id=withdrawal_id):
        return  # this request's earlier attempt marked its signature
    # Under the client's lock: a disclosure checks the DATA_SHARING consent under it, so it sees
    # this withdrawal committed or waits for it (`domain.store.disclosures.client_locked`).
    async with client_locked(journey.client_id) as connection:
        withdrawn = (
            ConsentWithdrawal.filter(signature__journey_id=journey.id)
            .using_db(connection)
            .values_list("signature_id", flat=True)
        )
        in_force = (
            await SignatureRow.filter(
                journey_id=journey.id, kind=kind.value, signed_at__lte=asked_at
            )
            .using_db(connection)
            .exclude(id__in=[str(i) for i in await withdrawn])
            .order_by("-signed_at")
            .first()
        )
        if in_force is None:
            return
        await mark_withdrawn(in_force.id, withdrawal_id, recorded_by, datetime.now(UTC))


async def mark_withdrawn(
    signature_id: str, withdrawal_id: str, recorded_by: str, withdrawn_at: datetime
) -> str:
    """Writes the withdrawal of the signature, under the client's lock the caller holds, once:
    the id comes from the request's key, and an attempt of the same request running beside
    this one may have written it. The id of the signature's withdrawal: this one, or the one
    written beside it."""
    try:
        async with in_transaction() as attempt:
            await ConsentWithdrawal.create(
                using_db=attempt,
                id=withdrawal_id,
                signature_id=signature_id,
                recorded_by=recorded_by,
                withdrawn_at=withdrawn_at,
            )
    except IntegrityError:
        return str((await ConsentWithdrawal.get(signature_id=signature_id)).id)
    return withdrawal_id
