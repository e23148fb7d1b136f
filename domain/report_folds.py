"""Where the monthly reports (`consultantFigures`, `keyItemRanking`, `surveyResults`) fold their
month: on a thread of their own, one fold at a time in a process, never on the event loop.

A report reads its rows on the event loop, where the reads wait on the database, then folds them
in pure Python (counting, crediting, averaging, ranking). Folded on the loop, a month held every
other request of the process until it was done. A fold takes plain data (rows already read: no
model instance, no connection, no query) and gives plain data back, so nothing on its thread
touches the ORM.

One thread: a fold in pure Python holds the GIL while it runs, so a second thread would fold no
faster and would take more of the GIL from the event loop. Folds asked meanwhile wait their
turn; `schema.report_cost` bounds how many reports one request asks for.

The request's deadline still applies (`asyncio.timeout` around each operation, in `server.view`
and `server.socket_handler`). When it passes, the request's wait on its fold is cancelled and
it is answered on time that it was stopped. A fold still queued is dropped, never started. One
already running cannot be interrupted: it runs to its end on the thread (well under a second
for a month of 3,000 first visits), its result is thrown away, and the next fold starts then.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar, TypeVarTuple

Folded = TypeVar("Folded")
Rows = TypeVarTuple("Rows")

_FOLDS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-fold")


async def fold_off_the_loop(fold: Callable[[*Rows], Folded], *rows: *Rows) -> Folded:
    """`fold(*rows)` on the reports' thread; the event loop serves other requests meanwhile."""
    return await asyncio.get_running_loop().run_in_executor(_FOLDS, fold, *rows)
