"""DataLoaders, built per request: a list of journeys costs a constant number of queries."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from strawberry.dataloader import DataLoader

from domain.journey.stages import ConsentKind
from domain.store.aftercare import ComplicationReport, WarrantyCard
from domain.store.client_file import ClientEntry, ClientEntryError, ClientIdentityAmendment
from domain.store.client_file_reads import (
    PageKey,
    PartPage,
    entries_of,
    later_rows_of,
    part_pages,
)
from domain.store.consents import ConsentWithdrawalAfterJourney
from domain.store.day_end_releases import missed_releases
from domain.store.identity_reads import latest_identity_amendments
from domain.store.journey_payments import JourneyPage, JourneyPayments, payments_of_journeys
from domain.store.journey_signatures import SignaturesKey, signatures_in_force
from domain.store.journey_sql import LOG_COLUMNS
from domain.store.models import (
    Client,
    Clinic,
    Journey,
    JourneyEvent,
    JourneyRecord,
    StaffAccount,
)
from domain.store.phone_wishes import may_ask_about_results
from domain.store.procedure_reads import completions_of, versions_by_id
from domain.store.procedures import ChecklistCompletion, ProcedureTypeVersion
from domain.store.recheck_tasks import booked_rechecks
from domain.store.recheck_visits import kept_by
from schema.client_list_loaders import ClientLists
from schema.journeys.contraindication_batch import CheckKey, Findings, findings_of


@dataclass(frozen=True)
class EventWithDetails:
    event: JourneyEvent
    details: Any
    zone: ZoneInfo
    amendments: list[JourneyRecord]


async def _journeys(ids: list[str]) -> list[Journey | None]:
    found = {j.id: j for j in await Journey.filter(id__in=ids)}
    return [found.get(i) for i in ids]


async def _clients(ids: list[str]) -> list[Client | None]:
    found = {c.id: c for c in await Client.filter(id__in=ids)}
    return [found.get(i) for i in ids]


async def _staff(keys: list[tuple[str, str]]) -> list[StaffAccount | None]:
    """Accounts by (the asking clinic, account id): the clinic's own only. A row naming another
    clinic's account (copied across, or written wrongly) names nobody: None, as for an account
    that is gone. One query for each clinic asking (a request has one)."""
    asked: dict[str, list[str]] = defaultdict(list)
    for clinic_id, account_id in keys:
        asked[clinic_id].append(account_id)
    found: dict[tuple[str, str], StaffAccount] = {}
    for clinic_id, ids in asked.items():
        for row in await StaffAccount.filter(clinic_id=clinic_id, id__in=ids):
            found[(clinic_id, str(row.id))] = row
    return [found.get(key) for key in keys]


async def _warranty_cards(journey_ids: list[str]) -> list[WarrantyCard | None]:
    found = {c.journey_id: c for c in await WarrantyCard.filter(journey_id__in=journey_ids)}
    return [found.get(i) for i in journey_ids]


async def _complication_notes(task_ids: list[str]) -> list[str | None]:
    """What the client reported, for the tasks of complications reported between the calls."""
    rows = await ComplicationReport.filter(task_id__in=task_ids).values_list("task_id", "note")
    notes = dict(rows)
    return [notes.get(task) for task in task_ids]


async def _booked_rechecks(journey_ids: list[str]) -> list[datetime | None]:
    found = await booked_rechecks(journey_ids)
    return [found.get(i) for i in journey_ids]


async def _rechecks_kept_by(journey_ids: list[str]) -> list[str | None]:
    found = await kept_by(journey_ids)
    return [found.get(i) for i in journey_ids]


async def _withdrawals_after_journeys(
    journey_ids: list[str],
) -> list[list[ConsentWithdrawalAfterJourney]]:
    found: dict[str, list[ConsentWithdrawalAfterJourney]] = defaultdict(list)
    rows = ConsentWithdrawalAfterJourney.filter(journey_id__in=set(journey_ids))
    for row in await rows.order_by("withdrawn_at", "id"):
        found[row.journey_id].append(row)
    return [found[i] for i in journey_ids]


async def _missed_releases(keys: list[tuple[str, str]]) -> list[bool]:
    missed = await missed_releases(dict(keys))
    return [journey_id in missed for journey_id, _ in keys]


async def _zones(clinic_ids: list[str]) -> list[ZoneInfo]:
    found = {c.id: c.timezone for c in await Clinic.filter(id__in=clinic_ids)}
    return [ZoneInfo(found.get(i, "UTC")) for i in clinic_ids]


_EVENT_COLUMNS = ["id", *LOG_COLUMNS]
IDS_PER_QUERY = 1000
INTEGER_MAX = 2**31 - 1
# (journey id, clinic id, the last event seq to include, the seq the page starts after, the
# page's size)
HistoryKey = tuple[str, str, int, int, int]


async def _events_of(keys: list[HistoryKey]) -> dict[tuple[str, int, int], list[JourneyEvent]]:
    """Each (journey, page shape)'s events, oldest first. A journey's events are numbered 1, 2,
    3...: a page after seq `a` of `n` events is the seqs a+1 to a+n, so one query per page
    shape reads no more than the pages asked for (a list of journeys asks one shape)."""
    shapes: dict[tuple[int, int], list[str]] = defaultdict(list)
    for journey_id, _, _, after, first in keys:
        shapes[(after, first)].append(journey_id)
    pages: dict[tuple[str, int, int], list[JourneyEvent]] = defaultdict(list)
    for (after, first), journey_ids in shapes.items():
        last = min(after + first, INTEGER_MAX)  # the seq column's range
        events = (
            await JourneyEvent.filter(journey_id__in=journey_ids, seq__gt=after, seq__lte=last)
            .order_by("journey_id", "seq")
            .only(*_EVENT_COLUMNS)  # not the snapshot each event keeps
        )
        for event in events:
            pages[(event.journey_id, after, first)].append(event)
    return pages


def _history_loader(
    zones: DataLoader[str, ZoneInfo],
) -> DataLoader[HistoryKey, list[EventWithDetails]]:
    async def load(keys: list[HistoryKey]) -> list[list[EventWithDetails]]:
        pages = await _events_of(keys)
        events = [e for page in pages.values() for e in page]
        record_ids = list(dict.fromkeys(e.record_id for e in events if e.record_id))
        bodies: dict[str, Any] = {}
        amendments: dict[str, list[JourneyRecord]] = defaultdict(list)
        # In chunks: PostgreSQL takes at most 32,767 parameters in one statement.
        for start in range(0, len(record_ids), IDS_PER_QUERY):
            chunk = record_ids[start : start + IDS_PER_QUERY]
            bodies.update({r.id: r.body for r in await JourneyRecord.filter(id__in=chunk)})
            for amendment in await JourneyRecord.filter(amends_id__in=chunk).order_by("created_at"):
                amendments[str(amendment.amends_id)].append(amendment)
        result = []
        for journey_id, clinic_id, upto, after, first in keys:
            zone = await zones.load(clinic_id)
            result.append(
                [
                    EventWithDetails(
                        e,
                        bodies.get(e.record_id or ""),
                        zone,
                        amendments.get(e.record_id or "", []),
                    )
                    for e in pages[(journey_id, after, first)]
                    if e.seq <= upto
                ]
            )
        return result

    return DataLoader(load_fn=load)


@dataclass
class Loaders:
    client: DataLoader[str, Client | None] = field(default_factory=lambda: DataLoader(_clients))
    # Journeys by id, for lists of things about journeys (follow-up tasks).
    journey: DataLoader[str, Journey | None] = field(default_factory=lambda: DataLoader(_journeys))
    # Accounts by (the asking clinic, account id): `schema.staff.types.staff_row`.
    staff: DataLoader[tuple[str, str], StaffAccount | None] = field(
        default_factory=lambda: DataLoader(_staff)
    )
    zone: DataLoader[str, ZoneInfo] = field(default_factory=lambda: DataLoader(_zones))
    # A journey's warranty card, by journey id.
    warranty_card: DataLoader[str, WarrantyCard | None] = field(
        default_factory=lambda: DataLoader(_warranty_cards)
    )
    # The recheck a journey's handover booked, as its record was last corrected, by journey id.
    complication_note: DataLoader[str, str | None] = field(
        default_factory=lambda: DataLoader(_complication_notes)
    )
    # By client: whether staff may ask her about results by phone (her PHONE_WISHES in force).
    may_ask_about_results: DataLoader[str, bool | None] = field(
        default_factory=lambda: DataLoader(may_ask_about_results)
    )
    booked_recheck: DataLoader[str, datetime | None] = field(
        default_factory=lambda: DataLoader(_booked_rechecks)
    )
    # The recheck visit that kept a journey's booked recheck, by the booking's journey id.
    recheck_kept_by: DataLoader[str, str | None] = field(
        default_factory=lambda: DataLoader(_rechecks_kept_by)
    )
    history: DataLoader[HistoryKey, list[EventWithDetails]] = field(init=False)
    # Whether a journey missed its desk's day's-end release, by (journey id, the consultant it
    # names): `domain.store.day_end_releases.missed_releases`.
    missed_release: DataLoader[tuple[str, str], bool] = field(
        default_factory=lambda: DataLoader(_missed_releases)
    )
    # The consents of a journey withdrawn after it ended, in the order withdrawn (at most one
    # a kind), by journey id; never cached: a withdrawal earlier in the request shows.
    withdrawals_after_journey: DataLoader[str, list[ConsentWithdrawalAfterJourney]] = field(
        default_factory=lambda: DataLoader(_withdrawals_after_journeys, cache=False)
    )
    # The signatures in force in a journey, by kind, of the kinds asked (`requiredConsents`);
    # never cached: a consent signed or withdrawn earlier in the request shows.
    signatures_in_force: DataLoader[SignaturesKey, dict[ConsentKind, str]] = field(
        default_factory=lambda: DataLoader(signatures_in_force, cache=False)
    )
    # A page of a journey's payments and their refunds (`JourneyPage`).
    journey_payments: DataLoader[JourneyPage, JourneyPayments] = field(
        default_factory=lambda: DataLoader(payments_of_journeys)
    )
    # A client's identity as amended (name, phone, e-mail): its latest amendment, if any.
    identity: DataLoader[str, ClientIdentityAmendment | None] = field(
        default_factory=lambda: DataLoader(latest_identity_amendments)
    )
    # The client file: each part's entries by (client, kind), and what later rows say of an
    # entry (the entry correcting it, its error mark).
    file_entries: DataLoader[tuple[str, str], list[ClientEntry]] = field(
        default_factory=lambda: DataLoader(entries_of)
    )
    entry_later_rows: DataLoader[str, tuple[str | None, ClientEntryError | None]] = field(
        default_factory=lambda: DataLoader(later_rows_of)
    )
    # One page of a part, for each client of a list at once.
    part_pages: DataLoader[PageKey, PartPage] = field(
        default_factory=lambda: DataLoader(part_pages)
    )

    # A journey's procedure type version, and its checklist completions.
    procedure_versions: DataLoader[str, ProcedureTypeVersion | None] = field(
        default_factory=lambda: DataLoader(versions_by_id)
    )
    checklist_completions: DataLoader[str, list[ChecklistCompletion]] = field(
        default_factory=lambda: DataLoader(completions_of)
    )

    # What a journey's final plan and its client's record rule out, batched but never cached:
    # a treatment's gate must read the record as a mutation before it in the request left it.
    contraindications: DataLoader[CheckKey, Findings] = field(
        default_factory=lambda: DataLoader(findings_of, cache=False)
    )

    # Each client's consents, identity versions and photo consents, for a list of clients.
    client_lists: ClientLists = field(default_factory=ClientLists)

    def __post_init__(self) -> None:
        self.history = _history_loader(self.zone)

    def known_zone(self, clinic_id: str, timezone: str) -> None:
        """The clinic's time zone, read already (with the session's account): `zone` answers
        it without a query. A name no zone has is left to `zone` to fail on, as before."""
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
            self.zone.prime(clinic_id, ZoneInfo(timezone))
