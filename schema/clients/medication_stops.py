"""A medication the client has stopped, recorded by any clinician who records medications.

A stop is an amendment of the medication's entry (`amendClientEntry` with `stoppedOn`), so the
entry as she took it stays readable. Unlike a correction, it is a new fact, often learned by
someone else months later (the expert before a treatment, a nurse at a recheck): amending an
entry is otherwise for its author or a supervisor (`file_access.correction_refusal`), but an
amendment that changes only the day she stopped, every other field as it stands, is taken from
anyone whose role records medications.

Such an amendment leaves the rest of the entry its earlier author's (`content_author`): the one
who recorded the stop may change the stop again, as anyone may, but neither correct the rest of
the entry nor mark it entered in error. Otherwise recording a stop would hand her the entry,
and with two more calls she could rename it or take it out of force.
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
# Stops recorded one after another on one entry that `content_author` walks back through at
# most; past them the latest such amendment's author answers for the entry.
MOST_STOPS_WALKED = 50


async def records_a_stop(
    info: Info[Context, None],
    claims: TokenClaims,
    original: ClientEntry,
    input: AmendClientEntryInput,
) -> bool:
    """Whether the amendment changes only the day the client stopped the medication, and the
    caller records medications: then they may amend an entry of someone else's. A stop day
    that is wrong (before `since`, after today) still counts here: the amendment's checks
    answer it as a field problem, as they would the author's."""
    kind = EntryKind(original.kind)
    if kind is not EntryKind.MEDICATION or input.medication is None:
        return False
    if not MUTATIONS[RECORDING_MUTATION[kind]].admits(claims.role):
        return False
    client = await ClientRow.get(id=original.client_id)
    body, problems = check_entry(
        kind, entry_fields(input.medication), await file_dates(info, client)
    )
    if any(problem.field != "stoppedOn" for problem in problems):
        return False
    if problems:  # a wrong day, which the amendment's own checks then refuse
        return _rest(body) == _rest(original.body)
    return changes_only_the_stop(original.body, body)


def changes_only_the_stop(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return before.get(STOPPED_ON) != after.get(STOPPED_ON) and _rest(before) == _rest(after)


async def content_author(entry: ClientEntry) -> str:
    """Who answers for the entry's content when it comes to correcting it: its author, or for
    a stop recorded by amendment, the author of the entry it stopped (and so on back)."""
    current = entry
    for _ in range(MOST_STOPS_WALKED):
        if current.kind != EntryKind.MEDICATION.value or current.amends_id is None:
            break
        earlier = await ClientEntry.get_or_none(id=current.amends_id)
        if earlier is None or not changes_only_the_stop(earlier.body, current.body):
            break
        current = earlier
    return current.author_id


def _rest(body: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name != STOPPED_ON}
