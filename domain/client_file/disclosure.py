"""A disclosure of the client's file: who outside the clinic received which parts of it, why,
and how it reached them.

Seed 000 (confidentiality): the file is shared only with the client's prior written consent, and
never by e-mail, Dropbox, iCloud or unencrypted personal flash drives. So a disclosure stands on a
signed DATA_SHARING consent not withdrawn, and its channel is one of `DisclosureChannel`, which
has no member for e-mail, a cloud drive or a personal drive: such a disclosure cannot be
recorded, because it must not be made.

The service card is not a part that can be disclosed: it is the clinic's own service notes,
which go to no one but the client (as `domain.client_file.export` keeps it out of the FHIR
Bundle meant for another provider).

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.text import text_problem

NAME_LIMIT = 200
PURPOSE_LIMIT = 2000


class DisclosureChannel(str, Enum):
    """How the disclosed parts reached the recipient: only the ways the handbook allows."""

    IN_PERSON = "IN_PERSON"  # handed over on paper, at the clinic, against the recipient's name
    REGISTERED_POST = "REGISTERED_POST"  # sealed, by registered post, signed for on delivery
    ENCRYPTED_MEDIUM = "ENCRYPTED_MEDIUM"  # an encrypted medium of the clinic's, handed over
    PROVIDER_EXCHANGE = "PROVIDER_EXCHANGE"  # a secure exchange between healthcare providers


class DisclosedPart(str, Enum):
    """The parts of the file a disclosure may carry (never the service card)."""

    IDENTITY = "IDENTITY"
    MEDICAL_HISTORY = "MEDICAL_HISTORY"
    ALLERGIES = "ALLERGIES"
    MEDICATIONS = "MEDICATIONS"
    PREGNANCY_STATUS = "PREGNANCY_STATUS"
    CONSENTS = "CONSENTS"
    PHOTOS = "PHOTOS"
    TREATMENTS = "TREATMENTS"
    COMPLICATIONS = "COMPLICATIONS"
    BILLING = "BILLING"


def disclosure_problems(
    recipient_name: str, recipient_organisation: str | None, purpose: str, parts: Sequence[str]
) -> list[FieldProblem]:
    """What is wrong with a disclosure's own fields (its consent is checked apart)."""
    problems: list[FieldProblem] = []
    texts = (
        ("recipientName", recipient_name, True, NAME_LIMIT),
        ("recipientOrganisation", recipient_organisation, False, NAME_LIMIT),
        ("purpose", purpose, True, PURPOSE_LIMIT),
    )
    for field, value, required, limit in texts:
        problem = text_problem(field, value, required=required, limit=limit)
        if problem:
            problems.append(problem)
    if not parts:
        problems.append(FieldProblem("parts", "name at least one part of the file", Code.REQUIRED))
    elif len(set(parts)) != len(parts):
        problems.append(FieldProblem("parts", "each part once", Code.DUPLICATE))
    return problems


def no_sharing_consent() -> str:
    return (
        "the client has no signed DATA_SHARING consent: the file is shared only with the "
        "client's written consent (signSharingConsent, or signConsent with kind DATA_SHARING)"
    )


def sharing_consent_withdrawn(at: datetime) -> str:
    return (
        f"the client withdrew their DATA_SHARING consent at {at.isoformat()}: "
        "nothing is shared until they sign one again"
    )
