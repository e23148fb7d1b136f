"""How many workflow runs a worker keeps in memory between their tasks (the sticky cache).

A cached journey answers its next update at once; an evicted one is replayed from its history
first. Each cached run costs the worker memory whether it wakes or not, and parked journeys
(follow-ups months away) are nearly all asleep. The figure below comes from
`python -m bench.parked_bench`: worker memory against the cost of waking an evicted journey, for
several cache sizes (the README's Benchmarks section has the table).
"""

from __future__ import annotations

DEFAULT_MAX_CACHED_WORKFLOWS = 1000
