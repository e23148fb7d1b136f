"""Where the canary looks: Temporal (histories, memo, search attributes, query answers), the
worker's log lines, and the database (where the words belong: the positive control)."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from temporalio.client import Client, WorkflowExecution
from tortoise import Tortoise

from server.logs import JsonFormatter
from tests.api.harness import eventually

# What a worker process logs: the SDK (its Core's lines too, forwarded by the runtime that
# `workflows.connect` sets up), and the project's workflow, activity and client modules.
WORKER_LOGGERS = ("temporalio", "workflows")
QUERIES = {"Journey": "facts", "TriageDesk": "desk", "PartnerClock": "standing"}


@dataclass
class TemporalRecord:
    """Every byte Temporal keeps or answers for one workflow run, by kind."""

    workflow_id: str
    run_id: str
    history: bytes = b""
    description: bytes = b""
    query: bytes = b""

    def parts(self) -> dict[str, bytes]:
        where = f"{self.workflow_id} ({self.run_id})"
        return {
            f"history of {where}": self.history,
            f"memo and search attributes of {where}": self.description,
            f"query answer of {where}": self.query,
        }


async def runs_on(client: Client, task_queue: str, expected: set[str]) -> list[WorkflowExecution]:
    """Every run on the task queue, once visibility lists all the expected workflows."""

    async def listing() -> list[WorkflowExecution]:
        return [run async for run in client.list_workflows(f'TaskQueue = "{task_queue}"')]

    runs: list[WorkflowExecution] = await eventually(
        listing,
        lambda runs: expected <= {run.id for run in runs},
        timeout=30,
        what=f"every workflow of the run listed on {task_queue}",
    )
    return runs


async def recorded(client: Client, run: WorkflowExecution) -> TemporalRecord:
    """A run's history events and its description (memo, search attributes), serialized: the
    payloads inside are the bytes the data converter wrote."""
    handle = client.get_workflow_handle(run.id, run_id=run.run_id)
    history = await handle.fetch_history()
    description = await handle.describe()
    return TemporalRecord(
        run.id,
        run.run_id,
        history=b"".join(event.SerializeToString() for event in history.events),
        description=description.raw_description.SerializeToString(),
    )


async def query_answer(client: Client, run: WorkflowExecution) -> bytes:
    """What the workflow answers its query (its whole state), as JSON; needs a running worker."""
    handle = client.get_workflow_handle(run.id, run_id=run.run_id)
    answer = await handle.query(QUERIES[run.workflow_type])
    return json.dumps(answer, ensure_ascii=False).encode()


class LogCapture(logging.Handler):
    """Keeps the worker's log lines at the production level (INFO), formatted as they ship."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(WORKER_LOGGERS):
            self.lines.append(self.format(record))

    def text(self) -> bytes:
        return "\n".join(self.lines).encode()


@contextlib.contextmanager
def worker_logs() -> Iterator[LogCapture]:
    capture = LogCapture()
    root, chatty = logging.getLogger(), logging.getLogger("transitions")
    levels = root.level, chatty.level
    root.addHandler(capture)
    root.setLevel(logging.INFO)
    chatty.setLevel(logging.WARNING)  # as `configure_logging` quietens it in production
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(levels[0])
        chatty.setLevel(levels[1])


async def database_text() -> bytes:
    """Every row of every table, as JSON: where the staff's words are kept."""
    tables = {name: await model.all().values() for name, model in Tortoise.apps["models"].items()}
    return json.dumps(tables, default=str, ensure_ascii=False).encode()


def found(needles: Mapping[str, str], haystacks: Mapping[str, bytes]) -> list[str]:
    """`<input path> in <where>` for every needle found in any haystack."""
    return [
        f"{path} in {where}"
        for where, data in haystacks.items()
        for path, needle in needles.items()
        if needle.encode() in data
    ]
