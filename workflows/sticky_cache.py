"""How many workflow runs a worker keeps in memory between their tasks (the sticky cache).

A cached journey answers its next update at once; an evicted one is replayed from its history
first. Each cached run costs the worker memory whether it wakes or not, and parked journeys
(follow-ups months away) are nearly all asleep. `python -m bench.parked_bench` measured about
0.4 MiB per cached journey over a 115 MiB idle worker, and a wake-up after eviction a few hundred
milliseconds dearer than a cached one (the README's Benchmarks section has the curve). 500 keeps
the worker near 315 MiB however many journeys are parked: under the 400 MiB target and the
512 MiB limit of the Kubernetes manifest, where the SDK's default of 1,000 (about 500 MiB) is not,
and still room for hundreds of journeys in progress at once.
"""

from __future__ import annotations

DEFAULT_MAX_CACHED_WORKFLOWS = 500
