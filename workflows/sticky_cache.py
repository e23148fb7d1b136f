"""How many workflow runs a worker keeps in memory between their tasks (the sticky cache).

A cached journey answers its next update at once; an evicted one is replayed from its history
first. Each cached run costs the worker memory whether it wakes or not, and parked journeys
(follow-ups months away) are nearly all asleep. `python -m bench.parked_bench` with 10,000
journeys parked measured about 0.35 MiB per cached journey over a 118 MiB idle worker, and a
wake-up after eviction about 45 ms dearer than a cached one (the README's Benchmarks section has
the curve). 500 kept the worker at 289 MiB with 10,000 parked: under the 400 MiB target and the
512 MiB limit of the Kubernetes manifest, where the SDK's default of 1,000 (449 MiB) is not,
and still room for hundreds of journeys in progress at once.
"""

from __future__ import annotations

DEFAULT_MAX_CACHED_WORKFLOWS = 500
