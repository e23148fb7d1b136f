"""The change feed's cursor: the ids a read skipped are asked for again until they appear or
are given up, and nothing is delivered twice."""

from __future__ import annotations

from schema.feed_cursor import GAP_SECONDS, MAX_GAPS, START_WINDOW, IdCursor
from tests.support import ManualClock


def test_an_id_skipped_by_a_read_is_delivered_when_it_appears_however_far_behind() -> None:
    cursor = IdCursor(ManualClock())
    cursor.start(10, range(1, 11))
    # A read finds 12 and 300 onwards but not 11 (its transaction still open)
    assert cursor.take_fresh([12, *range(14, 301)]) == {12, *range(14, 301)}
    assert cursor.after() == 300 and 11 in cursor.gaps() and 13 in cursor.gaps()
    # When 11 commits, the next read finds it, once
    assert cursor.pending(11)
    assert cursor.take_fresh([11]) == {11}
    assert not cursor.pending(11) and 11 not in cursor.gaps()
    assert cursor.take_fresh([11, 12, 300]) == set()


def test_rows_in_flight_when_reading_starts_are_awaited() -> None:
    cursor = IdCursor(ManualClock())
    cursor.start(50, [row_id for row_id in range(1, 51) if row_id != 47])
    assert cursor.gaps() == [47] and cursor.pending(47) and not cursor.pending(46)


def test_a_start_on_a_full_window_awaits_nothing() -> None:
    # (the feed reads the ids above the newest less START_WINDOW: the one below is no gap)
    cursor = IdCursor(ManualClock())
    cursor.start(1000, range(1000 - START_WINDOW + 1, 1001))
    assert cursor.gaps() == []


def test_a_gap_is_given_up_after_its_time() -> None:
    clock = ManualClock()
    cursor = IdCursor(clock)
    cursor.start(0, [])
    cursor.take_fresh([1, 3])
    clock.now += GAP_SECONDS - 1
    cursor.take_fresh([5])
    assert cursor.gaps() == [2, 4]
    clock.now += 2
    assert cursor.gaps() == [4]
    assert not cursor.pending(2)


def test_gaps_are_bounded_the_oldest_given_up_first() -> None:
    cursor = IdCursor(ManualClock())
    cursor.start(0, [])
    cursor.take_fresh([1, 10 * MAX_GAPS])
    gaps = cursor.gaps()
    assert len(gaps) == MAX_GAPS and gaps[-1] == 10 * MAX_GAPS - 1
    cursor.take_fresh([10 * MAX_GAPS + 3])
    gaps = cursor.gaps()
    assert len(gaps) == MAX_GAPS and gaps[-2:] == [10 * MAX_GAPS + 1, 10 * MAX_GAPS + 2]
    assert gaps[0] == 10 * MAX_GAPS - MAX_GAPS + 2


def test_a_reset_cursor_forgets_its_gaps() -> None:
    cursor = IdCursor(ManualClock())
    cursor.start(5, [1, 2, 3])
    cursor.reset()
    assert not cursor.started and cursor.gaps() == []
