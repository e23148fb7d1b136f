"""Start-up's objects kept out of the garbage collector's full passes.

Once started, a Glowpath process holds about 240,000 objects that live as long as it does: the
GraphQL schema, the Temporal SDK, the ORM's models, the workflow modules. CPython's full
(oldest-generation) collection walks every one of them each time it runs. Measured in the step
benchmark's process (API and worker in one), one such pass took 190 to 270 ms and came every 100
to 300 requests, stalling every request in flight for that long. ``gc.freeze()`` moves every
object that exists at that moment to a generation the collector never walks, so the passes after
it walk only what came later. What it costs: a cycle among frozen objects is never freed, and
start-up's objects are kept for the process's life anyway.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)


def freeze_start_up_objects() -> int:
    """Collects once (start-up's garbage is not frozen with the rest), then freezes what is
    left; returns how many objects are frozen. Called once a process has started serving; a
    second call (API and worker in one process) freezes what came since."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.info("%d start-up objects frozen: the collector's full passes skip them", frozen)
    return frozen
