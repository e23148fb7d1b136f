"""Writing and finding the keys a client is found by when registered again."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from tortoise.exceptions import IntegrityError

from domain.client_file.matching import MatchedOn
from domain.store.client_file import ClientMatchKey

# At most this many keys are read for one registration: a phone a whole family gives stays
# a bounded answer (reception opens one of them and finds the others from there).
MAX_MATCHED_KEYS = 50


async def record_match_keys(clinic_id: str, client_id: str, keys: Mapping[str, object]) -> None:
    """Each key once per client: a retried registration or a repeated value adds nothing."""
    rows = ClientMatchKey.filter(client_id=client_id, key__in=list(keys))
    held = {str(key) for key in await rows.values_list("key", flat=True)}
    for key in keys:
        if key in held:
            continue
        # A racing attempt of the same request may have written it meanwhile.
        with contextlib.suppress(IntegrityError):
            await ClientMatchKey.create(clinic_id=clinic_id, client_id=client_id, key=key)


async def clients_matching(
    clinic_id: str, keys: Mapping[str, MatchedOn]
) -> dict[str, set[MatchedOn]]:
    """The clinic's clients holding any of the keys, each with what matched: one indexed query."""
    rows = (
        await ClientMatchKey.filter(clinic_id=clinic_id, key__in=list(keys))
        .order_by("id")
        .limit(MAX_MATCHED_KEYS)
        .values_list("client_id", "key")
    )
    found: dict[str, set[MatchedOn]] = {}
    for client_id, key in rows:
        found.setdefault(str(client_id), set()).add(keys[str(key)])
    return found
