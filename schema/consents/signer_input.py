"""What a consent's signer gives, checked alike wherever a consent is signed.

`signConsent` (in a journey) and `signSharingConsent` (in none) take the same proof of who signs
which text and how: the signer's name, the template's key, version and language, a guardian and
their relation, the drawn signature, the rights explained. Each mutation adds its own checks.
"""

from __future__ import annotations

from typing import Protocol

from domain.consent.signature import SignatureFormat, SignerCapacity
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from schema.consents.signing import capacity_problems, signature_problems
from schema.text import check_text

GUARDIAN_SIGNS = "a client under 18 consents by their guardian's signature (capacity GUARDIAN)"


class DrawnSignature(Protocol):
    @property
    def format(self) -> SignatureFormat: ...

    @property
    def data(self) -> str: ...


class SignerInput(Protocol):
    """The fields of a signing input that say who signs what, and how."""

    @property
    def signer_name(self) -> str: ...

    @property
    def template_id(self) -> str: ...

    @property
    def template_version(self) -> str: ...

    @property
    def language(self) -> str: ...

    @property
    def guardian_name(self) -> str | None: ...

    @property
    def guardian_relation(self) -> str | None: ...

    @property
    def capacity(self) -> SignerCapacity | None: ...

    @property
    def rights_explained(self) -> bool: ...

    @property
    def signature(self) -> DrawnSignature | None: ...


def signer_capacity(input: SignerInput) -> SignerCapacity:
    """The capacity given, else GUARDIAN when a guardian is named, else CLIENT."""
    return input.capacity or (
        SignerCapacity.GUARDIAN if input.guardian_name else SignerCapacity.CLIENT
    )


def drawn_signature(input: SignerInput) -> tuple[SignatureFormat, str] | None:
    return (input.signature.format, input.signature.data) if input.signature else None


def signer_problems(input: SignerInput, capacity: SignerCapacity) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    problems += check_text("signerName", input.signer_name, required=True, limit=200)
    problems += check_text("templateId", input.template_id, required=True, limit=100)
    problems += check_text("templateVersion", input.template_version, required=True, limit=40)
    problems += check_text("guardianName", input.guardian_name, required=False, limit=200)
    problems += check_text("guardianRelation", input.guardian_relation, required=False, limit=100)
    problems += check_text("language", input.language, required=True, limit=40)
    problems += capacity_problems(capacity, input.guardian_name, input.guardian_relation)
    problems += signature_problems(drawn_signature(input))
    if not input.rights_explained:
        problems.append(
            FieldProblem("rightsExplained", "the client's rights must be explained", Code.REQUIRED)
        )
    return problems


def minor_problems(capacity: SignerCapacity, minor: bool) -> list[FieldProblem]:
    """A client under 18 signs only by a guardian: a problem of `capacity`, in a journey or none."""
    if minor and capacity is not SignerCapacity.GUARDIAN:
        return [FieldProblem("capacity", GUARDIAN_SIGNS, Code.INCONSISTENT)]
    return []
