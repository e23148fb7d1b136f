"""What a photo may be used for, when it was taken, and whether its client consents to a use.

Consent is per purpose: each is given and withdrawn on its own, and the latest change of a
purpose decides it. A PHOTO consent signed with purposes counts as those purposes given at the
moment of signing; a later `setPhotoConsent` can withdraw each of them, and withdrawing the
consent withdraws those it gave (`withdrawn_with_consent`). A photo is taken only while its
client consents to the clinical record, the use every photo is kept for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class PhotoPurpose(str, Enum):
    CLINICAL_RECORD = "CLINICAL_RECORD"
    TEACHING = "TEACHING"  # anonymised: no face, no name, no identifying marks
    MARKETING = "MARKETING"


class PhotoStage(str, Enum):
    """When in the course of care a photo was taken (the clinic's comparison points)."""

    BEFORE = "BEFORE"
    AFTER = "AFTER"
    SUTURE_REMOVAL = "SUTURE_REMOVAL"
    THREE_MONTHS = "THREE_MONTHS"
    ONE_YEAR = "ONE_YEAR"
    OTHER = "OTHER"


@dataclass(frozen=True)
class ConsentChange:
    """One recorded change of one purpose: given (True) or withdrawn (False), at a time."""

    purpose: PhotoPurpose
    given: bool
    at: datetime
    seq: str = ""  # tie-breaker for changes recorded at the same instant (the row id)


def purposes_in_force(changes: Iterable[ConsentChange]) -> frozenset[PhotoPurpose]:
    """The purposes whose latest change gives them."""
    latest: dict[PhotoPurpose, ConsentChange] = {}
    for change in sorted(changes, key=lambda c: (c.at, c.seq)):
        latest[change.purpose] = change
    return frozenset(p for p, change in latest.items() if change.given)


def withdrawn_with_consent(
    granted: Mapping[PhotoPurpose, str], latest: Iterable[ConsentChange]
) -> list[PhotoPurpose]:
    """The purposes a withdrawn PHOTO consent takes back: each it gave (`granted`: purpose -> the
    id of the change that gave it) that its giving still decides (`latest`: each purpose's latest
    change). A purpose decided since, withdrawn or given again (by `setPhotoConsent` or another
    signed consent), is a decision of its own, which stands."""
    return sorted(
        (c.purpose for c in latest if c.given and granted.get(c.purpose) == c.seq),
        key=lambda purpose: purpose.value,
    )


def viewing_refusal(role_allowed: bool, consented: bool, purpose: PhotoPurpose) -> str | None:
    """Why a photo may not be seen for `purpose` (the role's row, then the client's consent);
    None: it may. Asked when a link is issued and again at every fetch."""
    if not role_allowed:
        return f"your role may not see photos for {purpose.value}"
    if not consented:
        return f"the client has not consented to photos for {purpose.value}"
    return None


# Seed 000: a special consent is given for taking the photos, before any other use of them; seed
# 002 §2.2: photos need the client's authorisation, with the use stated. Every photo is kept in
# the client's clinical record, so that is the use a photo is taken under.
TAKEN_FOR = PhotoPurpose.CLINICAL_RECORD


def taking_refusal(in_force: frozenset[PhotoPurpose]) -> str | None:
    """Why a photo of the client may not be taken (stored) now, given the purposes in force;
    None: it may. Marketing or teaching alone does not do: they are uses beyond the record."""
    if TAKEN_FOR in in_force:
        return None
    return (
        f"the client has not consented to photos for {TAKEN_FOR.value}: record it first "
        "(setPhotoConsent, or a PHOTO consent signed with that purpose)"
    )
