"""A medication the client has stopped, recorded by any clinician who records medications.

A stop is an amendment of the medication's entry (`amendClientEntry` with `stoppedOn`), so the
entry as she took it stays readable. Unlike a correction, it is a new fact, often learned by
someone else months later (the expert before a treatment, a nurse at a recheck): amending an
entry is otherwise for its author or a supervisor (`file_access.correction_refusal`), but an
amendment that only adds the day she stopped, every other field as it stands, is taken from
anyone whose role records medications.
"""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from domain.auth import TokenClaims
from domain.client_file.checks import check_entry
from domain.client_file.kinds import RECORDING_MUTATION, EntryKind
from domain.permissions import MUTATIONS
from domain.store.client_file import ClientEntry
from domain.store.models import Client as ClientRow
from schema.clients.file_access import file_dates
from schema.clients.file_inputs import AmendClientEntryInput
from schema.clients.file_mutations import entry_fields
from schema.context import Context

STOPPED_ON = "stopped_on"


async def records_a_stop(
    info: Info[Context, None],
    claims: TokenClaims,
    original: ClientEntry,
    input: AmendClientEntryInput,
) -> bool:
    """Whether the amendment only records that the client stopped the medication, and the
    caller records medications: then they may amend an entry of someone else's."""
    kind = EntryKind(original.kind)
    if kind is not EntryKind.MEDICATION or input.medication is None:
        return False
    if not MUTATIONS[RECORDING_MUTATION[kind]].admits(claims.role):
        return False
    if original.body.get(STOPPED_ON) is not None:
        return False  # a stop already recorded is corrected as any entry is
    client = await ClientRow.get(id=original.client_id)
    body, problems = check_entry(
        kind, entry_fields(input.medication), await file_dates(info, client)
    )
    return not problems and body.get(STOPPED_ON) is not None and _rest(body) == _rest(original.body)


def _rest(body: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name != STOPPED_ON}
