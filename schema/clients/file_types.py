"""The client file's entries as the API shows them: one type per part, each with its author,
role and time (UTC and the clinic's 24-hour local time), and its corrections.

Nothing is hidden: an amended entry stays, with `amendedById`; an entry marked entered in error
stays, with `enteredInError`. `inForce` says whether the entry still stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar
from zoneinfo import ZoneInfo

import strawberry
from strawberry.types import Info

from domain.client_file import kinds, post_op
from domain.client_file.kinds import EntryKind
from domain.roles import Role
from domain.store.client_file import ClientEntry, ClientEntryError
from schema.clients import file_enums  # noqa: F401  (describes the enums below)
from schema.context import Context
from schema.ids import encode_id
from schema.pagination import PageInfo
from schema.recorded_role import recorded_role
from schema.staff.types import StaffMember, staff_member

ENTRY_ID_TYPE = "ClientEntry"
LOCAL_TIME = "%Y-%m-%d %H:%M"


def local_time(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime(LOCAL_TIME)


@strawberry.type(description="The mark on an entry written by mistake; the entry stays readable.")
class EnteredInError:
    reason: str = strawberry.field(description="Why the entry was wrong.")
    author_id: str = strawberry.field(description="Raw account id of who marked it.")
    stored_author_role: strawberry.Private[str]
    at: datetime = strawberry.field(description="When it was marked, in UTC.")
    at_local: str = strawberry.field(description="When, in the clinic's time, 24-hour clock.")

    @strawberry.field(
        description="Who marked it (`authorId`), with the name colleagues see; null if the account"
        " is gone."
    )
    async def author(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.author_id)

    @strawberry.field(description="Their role when they marked it.")
    def author_role(self) -> Role:
        return recorded_role(self.stored_author_role)


@strawberry.type
class FileEntryFields:
    """What every entry of the file says about itself (not a GraphQL type of its own)."""

    id: strawberry.ID = strawberry.field(description="The entry's id (`amendClientEntry`).")
    recorded_at: datetime = strawberry.field(description="When it was written, in UTC.")
    recorded_at_local: str = strawberry.field(
        description="When it was written, in the clinic's time, 24-hour clock."
    )
    author_id: str = strawberry.field(description="Raw account id of who wrote it.")
    stored_author_role: strawberry.Private[str]
    amends_id: strawberry.ID | None = strawberry.field(
        description="The entry this one corrects; null for a first entry."
    )
    reason: str | None = strawberry.field(description="Why the correction was made.")
    amended_by_id: strawberry.ID | None = strawberry.field(
        description="The entry that corrects this one; null while it is not corrected."
    )
    entered_in_error: EnteredInError | None = strawberry.field(
        description="Set when the entry was marked entered in error."
    )
    in_force: bool = strawberry.field(
        description="Neither corrected nor marked entered in error: the entry still stands."
    )

    @strawberry.field(description="Who wrote it.")
    async def author(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.author_id)

    @strawberry.field(description="Their role when they wrote it.")
    def author_role(self) -> Role:
        return recorded_role(self.stored_author_role)


@strawberry.type(description="Medical and cosmetic history: one condition, treatment or trait.")
class MedicalHistoryEntry(FileEntryFields):
    topic: kinds.HistoryTopic = strawberry.field(description="What the entry is about.")
    description: str = strawberry.field(description="What the client said or staff observed.")
    treatment: str | None = strawberry.field(description="The earlier treatment or operation.")
    treated_on: date | None = strawberry.field(description="When it was done, if known.")
    effect: str | None = strawberry.field(description="Its effect and any side effects.")


@strawberry.type(description="An allergy: to what, the reaction, how severe.")
class AllergyEntry(FileEntryFields):
    substance: str = strawberry.field(description="What the client is allergic to.")
    reaction: str = strawberry.field(description="What happened.")
    severity: kinds.AllergySeverity = strawberry.field(description="How bad it was.")


@strawberry.type(description="A medication the client takes.")
class MedicationEntry(FileEntryFields):
    name: str = strawberry.field(description="The medicine or active substance.")
    dose: str | None = strawberry.field(description="Dose and frequency, as stated.")
    since: date | None = strawberry.field(description="Taken since, if known.")
    stopped_on: date | None = strawberry.field(
        default=None,
        description="The day the client stopped taking it; null while she takes it (as far as "
        "the file knows). Set by an amendment of the entry.",
    )
    note: str | None = strawberry.field(description="Anything else about it.")


@strawberry.type(description="Pregnancy and lactation as stated on a date (they change).")
class PregnancyStatusEntry(FileEntryFields):
    pregnant: bool = strawberry.field(description="Pregnant, as stated.")
    lactating: bool = strawberry.field(description="Breastfeeding, as stated.")
    stated_on: date = strawberry.field(description="The day the client stated it.")
    note: str | None = strawberry.field(description="Anything else about it.")


@strawberry.type(description="A service-card entry: how to look after this client well.")
class ServiceCardEntry(FileEntryFields):
    section: kinds.ServiceCardSection = strawberry.field(description="The card's section.")
    note: str | None = strawberry.field(
        description="What staff noticed or were told (always given; nullable only so that "
        "`note` of every entry type can be asked in one selection)."
    )
    minutes: int | None = strawberry.field(description="The delay or lateness, in minutes.")
    occurred_on: date | None = strawberry.field(description="The day of the delay or lateness.")
    ask_about_results: bool | None = strawberry.field(
        description="PHONE_WISHES: whether staff may ask the client about results and "
        "impressions by phone (false: no score on her calls, no phone survey)."
    )


@strawberry.type(description="Vital signs with their values, as measured.")
class VitalSigns:
    systolic: int = strawberry.field(description="Systolic blood pressure, mmHg.")
    diastolic: int = strawberry.field(description="Diastolic blood pressure, mmHg.")
    pulse: int = strawberry.field(description="Pulse, beats a minute.")
    respiratory_rate: int = strawberry.field(description="Breaths a minute.")
    temperature_celsius: float = strawberry.field(description="Body temperature, °C.")
    oxygen_saturation: int | None = strawberry.field(
        description="Oxygen saturation (SpO2), %; null when not measured."
    )


@strawberry.type(
    description="An observation in the ward after an operation (seed 003: a round every 15 to "
    "30 minutes, the vital signs hourly; after a general anaesthesia flat and nothing by mouth "
    "for 6 hours). The author is the observer."
)
class PostOpObservationEntry(FileEntryFields):
    journey_id: strawberry.ID = strawberry.field(description="The surgery journey it follows.")
    observed_at: datetime = strawberry.field(description="When the client was observed, UTC.")
    observed_at_local: str = strawberry.field(
        description="When, in the clinic's time, 24-hour clock."
    )
    anaesthesia: post_op.Anaesthesia = strawberry.field(description="How she was anaesthetised.")
    vitals: VitalSigns = strawberry.field(description="The vital signs measured.")
    lying_flat: bool | None = strawberry.field(
        description="Within 6 hours of a general anaesthesia: lying flat without a pillow, as "
        "ordered; null otherwise."
    )
    nil_by_mouth: bool | None = strawberry.field(
        description="Within 6 hours of a general anaesthesia: nothing taken by mouth, as "
        "ordered; null otherwise."
    )
    note: str | None = strawberry.field(
        description="What else was seen (dressing, drain, pain, nausea) or done."
    )


@strawberry.type(
    description="The ward round on the day after an operation: the doctor or the doctor's "
    "assistant sees how the client recovers (seed 003). The author is who went."
)
class WardRoundEntry(FileEntryFields):
    journey_id: strawberry.ID = strawberry.field(description="The surgery journey it follows.")
    visited_at: datetime = strawberry.field(description="When the client was seen, UTC.")
    visited_at_local: str = strawberry.field(
        description="When, in the clinic's time, 24-hour clock."
    )
    recovering_as_expected: bool = strawberry.field(description="Whether she recovers as expected.")
    findings: str = strawberry.field(description="What was found.")
    next_step: str = strawberry.field(
        description="What is next (discharge, dressing, stay, the surgeon called)."
    )


@strawberry.type(
    description="The guardian who consented, at a minor's registration, to her data being kept "
    "(`Client.dataConsentGuardian` shows the one in force); a correction of it "
    "(`amendClientEntry` with `dataConsentGuardian`) is an entry of its own."
)
class DataConsentEntry(FileEntryFields):
    guardian_name: str = strawberry.field(description="The guardian's name, on one line.")
    guardian_relation: str = strawberry.field(
        description="How the guardian is related to the client (mother, legal guardian...)."
    )
    given_by: strawberry.Private[str]


ClientFileEntry = Annotated[
    MedicalHistoryEntry
    | AllergyEntry
    | MedicationEntry
    | PregnancyStatusEntry
    | ServiceCardEntry
    | PostOpObservationEntry
    | WardRoundEntry
    | DataConsentEntry,
    strawberry.union("ClientFileEntry", description="An entry of any part of the client file."),
]

E = TypeVar("E")


@strawberry.type(description="One entry in a list of the client file.")
class Edge(Generic[E]):
    cursor: str = strawberry.field(description="Pass as `after` for the entries after this one.")
    node: E = strawberry.field(description="The entry.")


@strawberry.type(description="Entries of one part of the client file, oldest first.")
class Connection(Generic[E]):
    edges: list[Edge[E]] = strawberry.field(description="The entries of this page.")
    page_info: PageInfo = strawberry.field(description="Whether more follow, and from where.")


_TYPES: dict[EntryKind, type[FileEntryFields]] = {
    EntryKind.MEDICAL_HISTORY: MedicalHistoryEntry,
    EntryKind.ALLERGY: AllergyEntry,
    EntryKind.MEDICATION: MedicationEntry,
    EntryKind.PREGNANCY_STATUS: PregnancyStatusEntry,
    EntryKind.SERVICE_CARD: ServiceCardEntry,
    EntryKind.POST_OP_OBSERVATION: PostOpObservationEntry,
    EntryKind.WARD_ROUND: WardRoundEntry,
    EntryKind.DATA_CONSENT: DataConsentEntry,
}
_DATES = ("treated_on", "since", "stopped_on", "stated_on", "occurred_on")
# Stored by value; shown as the enum.
_ENUMS: dict[tuple[EntryKind, str], type[Any]] = {
    (EntryKind.MEDICAL_HISTORY, "topic"): kinds.HistoryTopic,
    (EntryKind.ALLERGY, "severity"): kinds.AllergySeverity,
    (EntryKind.SERVICE_CARD, "section"): kinds.ServiceCardSection,
    (EntryKind.POST_OP_OBSERVATION, "anaesthesia"): post_op.Anaesthesia,
}
# Moments of the ward's records: shown in UTC and, beside, in the clinic's time.
_MOMENTS = ("observed_at", "visited_at")


def _field_value(kind: EntryKind, name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DATES:
        return date.fromisoformat(value)
    if name in _MOMENTS:
        return datetime.fromisoformat(value)
    if name == "journey_id":
        return strawberry.ID(encode_id("Journey", value))
    if name == "vitals":
        return VitalSigns(**value)
    enum = _ENUMS.get((kind, name))
    return enum(value) if enum else value


@dataclass(frozen=True)
class EntryState:
    """What later rows say about an entry: its correction and its error mark."""

    amended_by_id: str | None = None
    mark: ClientEntryError | None = None


def entry_view(row: ClientEntry, zone: ZoneInfo, state: EntryState) -> Any:
    """The typed entry for a stored row."""
    kind = EntryKind(row.kind)
    body = {name: _field_value(kind, name, value) for name, value in row.body.items()}
    for name in _MOMENTS:
        if isinstance(body.get(name), datetime):
            body[f"{name}_local"] = local_time(body[name], zone)
    mark = state.mark
    entered_in_error = (
        EnteredInError(
            reason=mark.reason,
            author_id=mark.author_id,
            stored_author_role=mark.author_role,
            at=mark.marked_at,
            at_local=local_time(mark.marked_at, zone),
        )
        if mark
        else None
    )
    return _TYPES[kind](
        id=strawberry.ID(encode_id(ENTRY_ID_TYPE, row.id)),
        recorded_at=row.recorded_at,
        recorded_at_local=local_time(row.recorded_at, zone),
        author_id=row.author_id,
        stored_author_role=row.author_role,
        amends_id=strawberry.ID(encode_id(ENTRY_ID_TYPE, row.amends_id)) if row.amends_id else None,
        reason=row.reason,
        amended_by_id=(
            strawberry.ID(encode_id(ENTRY_ID_TYPE, state.amended_by_id))
            if state.amended_by_id
            else None
        ),
        entered_in_error=entered_in_error,
        in_force=state.amended_by_id is None and mark is None,
        **body,
    )
