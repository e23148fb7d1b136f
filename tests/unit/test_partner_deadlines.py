"""Seed 003's deadlines for a new partner, in calendar months."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.partners.deadlines import Milestone, add_months, missing_materials, schedule


def test_deadlines_fall_one_month_and_five_days_three_and_six_months_after_the_report() -> None:
    reported = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
    # 31 Jan + 1 month = 28 Feb (no 31 Feb), + 5 days = 5 Mar; + 3 months = 30 Apr (no 31
    # Apr); + 6 months = 31 Jul
    assert schedule(reported) == [
        (Milestone.REGISTERED, datetime(2026, 3, 5, 9, 30, tzinfo=UTC)),
        (Milestone.FIRST_CONSULTATION, datetime(2026, 4, 30, 9, 30, tzinfo=UTC)),
        (Milestone.FIRST_DEAL, datetime(2026, 7, 31, 9, 30, tzinfo=UTC)),
    ]
    # Across a year's end: 15 Nov 2026 + 3 months = 15 Feb 2027
    assert add_months(datetime(2026, 11, 15, tzinfo=UTC), 3) == datetime(2027, 2, 15, tzinfo=UTC)


def test_a_registration_counts_only_with_agreement_bank_details_and_premises_photos() -> None:
    assert missing_materials("AG-7", "PL61 1090", ["p1"]) == []
    assert missing_materials(None, "", []) == [
        "agreement_reference",
        "bank_details",
        "premises_photo_ids",
    ]
    assert missing_materials("AG-7", None, ["p1"]) == ["bank_details"]
