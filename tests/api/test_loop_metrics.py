"""The API's event-loop lag and memory in /metrics: a stall shows up before users report it."""

from __future__ import annotations

import re
import time

import aiohttp

from tests.api.harness import Api, eventually

# Seconds the test holds the loop: the timer due within the next 0.25 s is then over 0.5 s late.
STALL = 1.0


async def scrape(api: Api) -> str:
    async with aiohttp.ClientSession() as http:
        async with http.get(api.url.removesuffix("/graphql") + "/metrics") as response:
            assert response.status == 200
            return await response.text()


def value(metrics: str, sample: str) -> float:
    match = re.search(rf"^{re.escape(sample)} (\S+)$", metrics, re.M)
    assert match, f"{sample} not in /metrics"
    return float(match.group(1))


def lag_over_half_a_second(metrics: str) -> float:
    """Observations past the 0.5 s bucket: the loop was held at least that long."""
    total = value(metrics, "glowpath_event_loop_lag_seconds_count")
    return total - value(metrics, 'glowpath_event_loop_lag_seconds_bucket{le="0.5"}')


async def test_a_stalled_event_loop_shows_in_the_lag_histogram(api: Api) -> None:
    # Given the API's metrics (the API serves from this process's loop)
    before = await scrape(api)
    stalls_before = lag_over_half_a_second(before)
    # When something holds the loop without yielding, as a CPU-bound request would
    time.sleep(STALL)
    # Then the next measurement reports a lag past half a second
    await eventually(
        lambda: scrape(api),
        lambda metrics: lag_over_half_a_second(metrics) > stalls_before,
        timeout=10,
        what="a lag over 0.5 s in glowpath_event_loop_lag_seconds",
    )


async def test_the_memory_of_the_process_is_reported(api: Api) -> None:
    metrics = await scrape(api)
    assert value(metrics, "process_resident_memory_bytes") > 10 * 1024 * 1024
    assert "# TYPE process_resident_memory_bytes gauge" in metrics
    assert "# TYPE glowpath_event_loop_lag_seconds histogram" in metrics
