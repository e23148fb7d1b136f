"""The signatures in force in journeys, read for many journeys at once (`Journey.requiredConsents`).

A journey holds at most one signature of a kind in force: it takes a consent only while that
kind is not signed in it, its signature row is written once the journey took it, under an id
derived from the request's key (a retry converges on the row), and signing the kind again needs
the first withdrawn, whose withdrawal row marks it before the journey's answer is given. So a
page of journeys reads at most one row a journey and kind; the limit, twice that, leaves room
for a withdrawal whose mark waits for the request's retry.
"""

from __future__ import annotations

from collections.abc import Collection

from tortoise.expressions import Subquery

from domain.journey.stages import ConsentKind
from domain.store.consents import ConsentSignature, ConsentWithdrawal

IDS_PER_QUERY = 500

# (journey id, the consent kinds asked of it)
SignaturesKey = tuple[str, frozenset[ConsentKind]]


async def signatures_in_force(keys: list[SignaturesKey]) -> list[dict[ConsentKind, str]]:
    """For each (journey, kinds): the id of the signature in force of each kind signed in the
    journey, by kind (the latest, should there be two); a kind with none in force is left out."""
    journey_ids = list(dict.fromkeys(journey_id for journey_id, _ in keys))
    kinds = {kind for _, asked in keys for kind in asked}
    found: dict[tuple[str, ConsentKind], str] = {}
    for start in range(0, len(journey_ids), IDS_PER_QUERY):
        found.update(await _in_force(journey_ids[start : start + IDS_PER_QUERY], kinds))
    return [
        {kind: found[(journey_id, kind)] for kind in asked if (journey_id, kind) in found}
        for journey_id, asked in keys
    ]


async def _in_force(
    journey_ids: list[str], kinds: Collection[ConsentKind]
) -> dict[tuple[str, ConsentKind], str]:
    withdrawn = ConsentWithdrawal.filter(signature__journey_id__in=journey_ids)
    rows = (
        await ConsentSignature.filter(
            journey_id__in=journey_ids, kind__in=[kind.value for kind in kinds]
        )
        .exclude(id__in=Subquery(withdrawn.values("signature_id")))
        .order_by("-signed_at", "-id")
        .limit(2 * len(journey_ids) * len(kinds))
        .values_list("journey_id", "kind", "id")
    )
    found: dict[tuple[str, ConsentKind], str] = {}
    for journey_id, kind, signature_id in rows:
        found.setdefault((str(journey_id), ConsentKind(kind)), str(signature_id))
    return found
