"""The worker's sticky-cache size: the measured default, or a whole number from 0 (no cache)."""

from __future__ import annotations

import pytest

from server.settings import Settings, SettingsError
from workflows.sticky_cache import DEFAULT_MAX_CACHED_WORKFLOWS

VARIABLE = "GLOWPATH_WORKER_MAX_CACHED_WORKFLOWS"


def test_unset_the_worker_keeps_the_measured_default() -> None:
    assert Settings.from_env({}).worker_max_cached_workflows == DEFAULT_MAX_CACHED_WORKFLOWS


@pytest.mark.parametrize("value", ["0", "2", "100000"])
def test_any_size_from_none_to_a_hundred_thousand_is_taken(value: str) -> None:
    assert Settings.from_env({VARIABLE: value}).worker_max_cached_workflows == int(value)


@pytest.mark.parametrize("value", ["-1", "100001", "many"])
def test_a_size_out_of_range_names_the_variable(value: str) -> None:
    with pytest.raises(SettingsError, match=VARIABLE):
        Settings.from_env({VARIABLE: value})
