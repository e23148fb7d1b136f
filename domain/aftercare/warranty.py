"""Warranties (seed 001 "Гарантии"): a card issued with the treatment and the claims on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.procedures.template import ProcedureContent

DEFAULT_WARRANTY_DAYS = 365
# The card is issued at treatment, before anyone chose the leaflet's language: it carries the
# terms in this language (the leaflet gives them in the client's).
CARD_LANGUAGE = "en"
DEFAULT_TERMS = (
    "A free recheck and correction of the treated area while the warranty runs, provided the "
    "aftercare instructions and the recheck visits were kept."
)


@dataclass(frozen=True)
class WarrantyTerms:
    days: int
    terms: str


SHORT_DIGITS = 10
# As many as the card's number column (32 characters) holds after "W-YYYYMM-": the number of a
# card whose short number another journey's card already has.
LONG_DIGITS = 23


def card_number(journey_id: str, issued_at: datetime, digits: int = SHORT_DIGITS) -> str:
    """Printed on the card and read out on the phone: short, stable for the journey. The digits
    are the journey id's own (a UUID), past any "journey-" prefix: with the prefix's letters
    counted, 10,000 journeys had only 4,096 numbers a month between them."""
    own = journey_id.removeprefix("journey-").replace("-", "")
    return f"W-{issued_at:%Y%m}-{own[:digits].upper()}"


def ends_at(issued_at: datetime, days: int, zone: ZoneInfo) -> datetime:
    """The last moment the card covers: the end, in the clinic's time zone, of the day `days`
    after the treatment's day there, the day the client's leaflet prints as "valid until". (At
    the treatment's hour of that day a claim made in the afternoon was refused.)"""
    last_day = issued_at.astimezone(zone).date() + timedelta(days=days)
    next_midnight = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=zone)
    return (next_midnight - timedelta(microseconds=1)).astimezone(UTC)


def last_day(card_ends_at: datetime, zone: ZoneInfo) -> date:
    """The card's last day, as the clinic's calendar (and the leaflet) has it."""
    return card_ends_at.astimezone(zone).date()


def covers(card_ends_at: datetime, now: datetime, zone: ZoneInfo) -> bool:
    """Whether the card covers `now`: any moment of its last day, in the clinic's calendar.
    (Cards issued before their end was set to that day's end end at the treatment's hour;
    judged by the day, they cover the afternoon of it too.)"""
    return now.astimezone(zone).date() <= last_day(card_ends_at, zone)


def terms_for(
    clinic_days: int, clinic_terms: str | None, procedure: WarrantyTerms | None = None
) -> WarrantyTerms:
    """The warranty a treatment is issued with: its procedure type's when that type gives one
    (the journey's procedure type version), else the clinic's."""
    if procedure is not None and procedure.days > 0:
        return procedure
    return WarrantyTerms(clinic_days, clinic_terms or DEFAULT_TERMS)


def procedure_warranty(content: ProcedureContent | None) -> WarrantyTerms | None:
    """A procedure type version's warranty, when it gives one (a period of days)."""
    if content is None or content.warranty_days <= 0:
        return None
    texts = content.warranty_terms
    terms = texts.get(CARD_LANGUAGE) or next(iter(texts.values()), "") or DEFAULT_TERMS
    return WarrantyTerms(content.warranty_days, terms)
