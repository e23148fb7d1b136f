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

What keeps a stop from becoming a way round the contraindication check:
- from anyone but the entry's author or a supervisor, a stop more than
  `STOPPED_MEDICATION_COUNTS_DAYS` back (which ends the medication's reasons at once) is a
  field problem: that is the author's or a supervisor's to record, as an override is the
  expert's (a cleared stop, or one moved later, only makes the check stricter);
- a mark of a stop is the content author's or a supervisor's, as any mark is, and retracts the
  medication with it (the stop is the entry's latest version): it is for a medication recorded
  on the wrong client. A stop recorded wrongly is amended instead, or cleared with
  `stoppedOn: null` (the descriptions say so);
- at most `MOST_STOPS` stops follow one another on an entry, so `content_author` always walks
  back to the entry's content: past that bound it answered with whoever recorded the last stop.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from strawberry.types import Info

from domain.auth import TokenClaims
from domain.client_file.checks import check_entry
from domain.client_file.contraindications import STOPPED_MEDICATION_COUNTS_DAYS
from domain.client_file.kinds import RECORDING_MUTATION, EntryKind
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.permissions import MUTATIONS
from domain.store.client_file import ClientEntry
from domain.store.models import Client as ClientRow
from schema.clients.file_access import file_dates
from schema.clients.file_inputs import AmendClientEntryInput
from schema.clients.file_mutations import entry_fields
from schema.context import Context

STOPPED_ON = "stopped_on"
# Stops recorded one after another on one entry, at most: a medication's stop is changed once
# or twice, and `content_author` reads each one back to find who answers for the entry.
MOST_STOPS = 20


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
    a stop recorded by amendment, the author of the entry it stopped (and so on back). An entry
    behind more stops than `MOST_STOPS` (none can be recorded since the bound) answers nobody's
    account: only a supervisor corrects it."""
    content, stops = await _stopped_content(entry)
    return content.author_id if stops <= MOST_STOPS else ""


async def stop_problems(
    original: ClientEntry, body: dict[str, Any], today: date, *, by_author: bool
) -> list[FieldProblem]:
    """What bounds an amendment of `original` to `body` that changes only the stop: the stops
    in a row (`MOST_STOPS`), and from anyone but its author or a supervisor, how far back."""
    if original.kind != EntryKind.MEDICATION.value or not changes_only_the_stop(
        original.body, body
    ):
        return []
    problems = []
    if (await _stopped_content(original))[1] >= MOST_STOPS:
        message = f"its stop was changed {MOST_STOPS} times in a row: change another field too"
        problems.append(FieldProblem("medication.stoppedOn", message, Code.TOO_MANY))
    stopped, window = body.get(STOPPED_ON), STOPPED_MEDICATION_COUNTS_DAYS
    if not by_author and stopped and (today - date.fromisoformat(stopped)).days > window:
        message = (
            f"a stop more than {window} days back ends its contraindications at once: "
            "its author or a supervisor records it"
        )
        problems.append(FieldProblem("medication.stoppedOn", message, Code.OUT_OF_RANGE))
    return problems


async def _stop_before(entry: ClientEntry) -> ClientEntry | None:
    """The entry `entry` amends, when `entry` changes only its stop."""
    if entry.kind != EntryKind.MEDICATION.value or entry.amends_id is None:
        return None
    earlier = await ClientEntry.get_or_none(id=entry.amends_id)
    if earlier is None or not changes_only_the_stop(earlier.body, entry.body):
        return None
    return earlier


async def _stopped_content(entry: ClientEntry) -> tuple[ClientEntry, int]:
    """The entry whose content the stops up to `entry` stopped, and how many stops lie between
    (read back at most `MOST_STOPS` + 1, which says "more than the bound")."""
    current, stops = entry, 0
    while stops <= MOST_STOPS:
        earlier = await _stop_before(current)
        if earlier is None:
            break
        current, stops = earlier, stops + 1
    return current, stops


def _rest(body: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name != STOPPED_ON}
