"""A lead is owned by its earliest contact while followed up within three months (seed 004)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.triage.leads import LEAD_LAPSES_AFTER, lead_owner

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _days_ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def test_no_contact_owns_nobody() -> None:
    assert lead_owner([], NOW) is None


def test_the_earliest_contact_owns_a_lead_followed_up() -> None:
    contacts = [(_days_ago(150), "a"), (_days_ago(80), "b"), (_days_ago(5), "c")]
    assert lead_owner(contacts, NOW) == "a"


def test_a_lead_last_contacted_over_three_months_ago_has_lapsed() -> None:
    last = NOW - LEAD_LAPSES_AFTER - timedelta(seconds=1)
    assert lead_owner([(last, "a")], NOW) is None
    assert lead_owner([(NOW - LEAD_LAPSES_AFTER, "a")], NOW) == "a"


def test_a_contact_after_a_lapse_starts_a_new_lead() -> None:
    contacts = [(_days_ago(200), "a"), (_days_ago(10), "b"), (_days_ago(2), "c")]
    assert lead_owner(contacts, NOW) == "b"
