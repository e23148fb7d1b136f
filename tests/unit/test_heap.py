"""Start-up's objects are frozen out of the collector's passes (`workflows.heap`); what comes
after them is collected as before."""

from __future__ import annotations

import gc

from workflows.heap import freeze_start_up_objects


def test_what_exists_at_start_up_is_frozen_and_what_comes_later_is_not() -> None:
    # Given a container that exists when the process has started
    kept_from_start_up: list[object] = []
    try:
        # When start-up's objects are frozen, and a container is made afterwards
        frozen = freeze_start_up_objects()
        made_later: list[object] = []
        walked = {id(found) for found in gc.get_objects()}  # every generation the collector walks
        # Then the first is out of the collector's walk, the later one in it (a frozen object
        # freed since, by its count of references, leaves the frozen generation: at most as many)
        assert 0 < gc.get_freeze_count() <= frozen
        assert id(kept_from_start_up) not in walked
        assert id(made_later) in walked
    finally:
        gc.unfreeze()  # the rest of the suite runs as before
