"""Whether a PHOTO consent a withdrawal found no grant for has one to come.

The journey takes the signing step before the signing request writes its grant (with the
purposes it gives), so a withdrawal answered in between finds none, as it finds none for a
consent signed before grants were kept. The two are withdrawn apart: the old consent's
withdrawal ends every purpose in force (nothing names what it gave), while a signing still
being written takes back what its own grant gave once it is written (`withdraw_grant`), and a
purpose the client gave on her own (photos for her clinical record) must stand.

The journey's log names the signing the withdrawal took back, by its draft, and the signing's
key's claim derives that draft: a release that keeps grants writes the grant before it settles
the key, so a claim still unfinished, or a grant under the id the claim derives, is such a
signing. A signing sent without a key leaves no claim to tell by, and is taken for an old one.
"""

from __future__ import annotations

from domain.journey.stages import ConsentKind
from domain.store import records
from domain.store.photos import PhotoConsentGrant as GrantRow
from domain.store.records import KeyState
from schema.consents.withdrawn_before_written import signing_withdrawn_last

SIGNING_OPERATION = "signConsent"  # the mutation whose key a signing step claims
# The kind of id a signing's grant derives from its claim (its signature's, when one is
# written): `schema.journeys.consent._with_purposes`.
SIGNING_SEED_KIND = "consent_signature"


async def grant_to_come(journey_id: str) -> bool:
    """Whether the PHOTO consent the journey's newest withdrawal took back was signed by a
    release that keeps grants: its grant is still to be written, or was written after the
    withdrawal was asked; its signing takes back what that grant gave (none of it is in force
    before). False for a consent signed before grants were kept, or when nothing tells."""
    signing = await signing_withdrawn_last(journey_id, ConsentKind.PHOTO)
    if signing is None or signing.record_id is None:
        return False
    claim = await records.claim_of_draft(
        signing.actor_id, SIGNING_OPERATION, signing.record_id, journey_id
    )
    if claim is None:
        return False
    if claim.state is KeyState.UNFINISHED:
        return True  # its grant is written before its key is settled
    # Settled: read after the claim, its grant, if the release kept one, is found.
    grant_id = records.derived_id(claim.seed, SIGNING_SEED_KIND)[:64]
    return await GrantRow.exists(id=grant_id)
