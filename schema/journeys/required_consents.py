"""What the consent stage of a journey waits for (`Journey.requiredConsents`), read from the read
model: the journey's facts as its last event left them, and its signature rows. Never from the
workflow: a screen showing it costs Temporal nothing."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from domain.journey.codec import facts_from_json
from domain.journey.rules import consents_awaited
from domain.journey.stages import ConsentKind
from domain.store.models import Journey as JourneyRow
from schema.audit.collector import note_access
from schema.consents.documents import CONSENTS_READ
from schema.consents.types import SIGNATURE_ID_TYPE
from schema.context import Context
from schema.ids import encode_id

REQUIRED_CONSENTS = (
    "The consents this journey needs before it moves past CONSENT, each with whether it is "
    "signed and in force: PROCEDURE always, and ANESTHESIA when the approved plan has "
    "anesthesia (taken by an expert, the doctor who gives it). The `signConsent` that leaves "
    "none unsigned moves the journey on (to PAYMENT, or to TREATMENT for a free plan with "
    "nothing billed); while one is unsigned it stays in CONSENT and no payment or treatment is "
    "taken. Withdrawing one (`withdrawConsent`) before the treatment began declines the "
    "journey; after, it shows unsigned and the journey goes on. Other consents (PHOTO, "
    "DATA_PROCESSING, DATA_SHARING) are the client's choice and are not listed. Null before "
    "the expert approved the plan (the approval says whether anesthesia is needed); empty for "
    "a recheck, which treats what was already consented. As of `lastEventSeq`, in the order "
    "PROCEDURE, ANESTHESIA. The clinicians' and supervisors' to read, as the client's "
    "consents: null with a NOT_AUTHORIZED error entry for other roles."
)


@strawberry.type(description="A consent a journey needs, and whether it is signed and in force.")
class RequiredConsent:
    kind: ConsentKind = strawberry.field(description="Which consent.")
    signed: bool = strawberry.field(
        description="Signed in this journey and not withdrawn: as the journey judges it when "
        "a step asks to move past CONSENT."
    )
    signature_id: strawberry.ID | None = strawberry.field(
        description="When signed on a published template: the signature's global id, which "
        "`consentDocument` takes (the `id` `Client.consents` lists). Null while unsigned, and "
        "for a consent signed on a paper form (a template key nothing is published under), "
        "which keeps no signature to show."
    )


async def required_consents(
    info: Info[Context, None], row: JourneyRow
) -> list[RequiredConsent] | None:
    awaited = consents_awaited(facts_from_json(row.facts))
    if awaited is None:
        return None
    note_access(row.client_id, CONSENTS_READ)  # which consents the client signed
    signed = frozenset(kind for kind, in_force in awaited if in_force)
    found: dict[ConsentKind, str] = {}
    if signed:  # one batched read for a page of journeys; none while nothing is signed
        found = await info.context.loaders.signatures_in_force.load((row.id, signed))
    return [
        RequiredConsent(
            kind=kind,
            signed=in_force,
            signature_id=(
                strawberry.ID(encode_id(SIGNATURE_ID_TYPE, found[kind]))
                if in_force and kind in found
                else None
            ),
        )
        for kind, in_force in awaited
    ]
