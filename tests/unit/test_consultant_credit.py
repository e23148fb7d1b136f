"""Consultant credit shares money out exactly, under the split in force when it moved."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.money.credit import Movement, Share, credit_movements, share_out

T0 = datetime(2026, 11, 3, 10, tzinfo=UTC)
T1 = datetime(2026, 11, 10, 10, tzinfo=UTC)
T2 = datetime(2026, 11, 20, 10, tzinfo=UTC)


def test_shares_add_up_to_the_whole_amount_to_the_cent() -> None:
    # 50/50 of 1001 cents: 500.5 each -> 501 to the first (equal remainders), 500 to the second
    assert share_out(1001, [Share("A", 50), Share("B", 50)]) == [501, 500]
    # 30/70 of 999 cents: 299.7 and 699.3 -> the larger remainder (.7) takes the cent: 300, 699
    assert share_out(999, [Share("A", 30), Share("B", 70)]) == [300, 699]
    # A refund of 1001 cents shares out the same way, negative
    assert share_out(-1001, [Share("A", 50), Share("B", 50)]) == [-501, -500]
    # 33/33/34 of 100 cents: exact, 33 + 33 + 34 = 100
    assert share_out(100, [Share("A", 33), Share("B", 33), Share("C", 34)]) == [33, 33, 34]
    with pytest.raises(ValueError):
        share_out(100, [Share("A", 50)])


def test_each_movement_follows_the_split_in_force_at_its_time() -> None:
    splits = {
        "j1": [
            (T0, [Share("A", 100)]),
            # a joint review on the 10th: A keeps 30 %, B takes 70 %
            (T1, [Share("A", 30), Share("B", 70)]),
        ],
    }
    deposit = Movement("j1", T0, 20000, "EUR")  # 200.00 before the review: all A's
    top_up = Movement("j1", T2, 100000, "EUR")  # 1000.00 after: 300.00 A, 700.00 B
    refund = Movement("j1", T2, -10000, "EUR")  # 100.00 back: -30.00 A, -70.00 B
    unknown = Movement("j9", T2, 5000, "EUR")  # no split recorded: credited to no one
    credited = credit_movements([deposit, top_up, refund, unknown], splits)
    assert [(c.consultant_id, c.amount_minor) for c in credited] == [
        ("A", 20000),
        ("A", 30000),
        ("B", 70000),
        ("A", -3000),
        ("B", -7000),
    ]
    # Money taken before the desk's first split reached the read model goes to that split
    early = Movement("j1", datetime(2026, 11, 1, tzinfo=UTC), 100, "EUR")
    assert [(c.consultant_id, c.amount_minor) for c in credit_movements([early], splits)] == [
        ("A", 100)
    ]
