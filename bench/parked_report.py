"""The parked-journeys report: the memory-against-wake-up curve, one row per cache size."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench.report import facts_block, machine_facts, median_ms, ms, p99_ms, table

if TYPE_CHECKING:
    from bench.parked_bench import Round

TARGET_JOURNEYS = 10_000
TARGET_MIB = 400
SDK_DEFAULT = 1000  # the Temporal Python SDK's own `max_cached_workflows`


@dataclass
class Parking:
    journeys: int
    cache: int
    seconds: float
    rss_mib: float
    peak_mib: float
    read_model_behind: int  # parked journeys the read model did not show in FOLLOW_UP


def _mib(value: float) -> str:
    return f"{value:.0f}"


def _row(r: Round, journeys: int) -> list[str]:
    floor = median_ms(r.floor_ns)
    first, second = median_ms(r.first_wake_ns), median_ms(r.second_wake_ns)
    return [
        f"{r.cache:,}",
        _mib(r.idle_mib),
        _mib(r.touched_mib),
        _mib(r.peak_mib),
        _mib(r.settled_mib),
        f"{r.touch_seconds:.0f}",
        "replayed" if r.cache + len(r.first_wake_ns) < journeys else "cached",
        f"{ms(first)} / {ms(p99_ms(r.first_wake_ns))}",
        f"{ms(second)} / {ms(p99_ms(r.second_wake_ns))}",
        ms(floor),
        f"{first / floor:.1f}x / {second / floor:.1f}x",
    ]


def _per_journey_kib(r: Round, journeys: int) -> float | None:
    held = min(r.cache, journeys)
    return (r.settled_mib - r.idle_mib) * 1024 / held if held else None


def print_report(
    args: argparse.Namespace,
    load_at_start: float | None,
    load_at_end: float | None,
    parking: Parking,
    rounds: Sequence[Round],
) -> None:
    n = parking.journeys
    print("Glowpath parked-journeys benchmark: worker memory against wake-up cost\n")
    print(facts_block(machine_facts(load_at_start)))
    print(f"  load at end  {'?' if load_at_end is None else f'{load_at_end:.2f}'}\n")
    print(
        f"  parked {n:,} journeys in FOLLOW_UP in {parking.seconds:.0f} s "
        f"({n / parking.seconds:.1f} journeys/s, {args.lanes} lanes, "
        f"{args.parking_workers} worker(s)); the measured worker, cache "
        f"{parking.cache:,}: RSS {_mib(parking.rss_mib)} MiB, peak {_mib(parking.peak_mib)} MiB; "
        f"the read model showed all but {parking.read_model_behind:,} of them in FOLLOW_UP\n"
    )
    header = (
        "cache",
        "RSS idle",
        "after touch",
        "peak",
        "settled",
        "touch s",
        "1st wake",
        "1st wake ms med/p99",
        "2nd wake ms med/p99",
        "floor ms",
        "1st/2nd vs floor",
    )
    print(table(header, [_row(r, n) for r in rounds]))
    print(
        f"\n  memory in MiB (VmRSS; peak is VmHWM) of a fresh `glowpath worker` with that cache, "
        f"after touching the journeys to wake and then the cache's worth of the other "
        f"{n:,} parked journeys; settled: once it moved "
        f"< 1 % for 5 s. 1st wake: a supervisor's nudge on one of the {args.wakes} "
        "oldest-touched journeys (replayed from history unless the cache holds every journey); "
        "2nd wake: the same journey again, cached. floor: `bench.floor` step update, "
        "alternated with the wakes."
    )
    for r in rounds:
        per = _per_journey_kib(r, n)
        if per is not None:
            print(f"  cache {r.cache:,}: about {per:.0f} KiB per cached journey (settled - idle)")
    _extrapolate(rounds, n)


def _extrapolate(rounds: Sequence[Round], journeys: int) -> None:
    """A worker never holds more runs than its cache: with more journeys parked, its memory is
    the cache's worth. Cache sizes not run (and, below the target, the target's number parked):
    from the largest one measured."""
    measured = [r for r in rounds if _per_journey_kib(r, journeys) is not None]
    if not measured:
        return
    largest = max(measured, key=lambda r: min(r.cache, journeys))
    per = _per_journey_kib(largest, journeys) or 0.0
    parked = max(journeys, TARGET_JOURNEYS)
    caches = {SDK_DEFAULT, parked} - {r.cache for r in measured}
    if journeys < TARGET_JOURNEYS:
        caches |= {r.cache for r in measured}
    if not caches:
        return
    print(
        f"\n  EXTRAPOLATED, not measured: {parked:,} parked journeys ({journeys:,} were run), "
        f"at {per:.0f} KiB per cached journey over {largest.idle_mib:.0f} MiB idle:"
    )
    for cache in sorted(caches):
        estimate = largest.idle_mib + per * min(cache, parked) / 1024
        verdict = "within" if estimate <= TARGET_MIB else "over"
        print(f"  cache {cache:,}: about {estimate:.0f} MiB settled ({verdict} {TARGET_MIB} MiB)")
