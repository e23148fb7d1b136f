"""One warning per Temporal outage from the worker's pollers, not one per poller per retry.

With Temporal down after the worker started, the SDK's core retries each poll of the task queues
and warns at each retry past the fifth, `gRPC call poll_workflow_task_queue retried 7 times`
(an error past the fifteenth), for every poller: about 64 lines a minute, which buried what else
the worker said. `PollOutage` is a filter on the logger the core's lines come through
(`workflows.connect.CORE_LOGGER`): it lets the first poll failure of an outage through, saying
that the rest are counted; holds back the rest (each at DEBUG in its own words), with a line of
their count once a minute; and, told Temporal answers again (`watch_recovery`), ends the outage
with one line of how long it lasted and how many it held back. Every other line passes.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client

log = logging.getLogger(__name__)

# The core's words for a poll that failed (its `temporal_log.message`, without the target and
# fields the forwarding adds to the record's message).
_POLL_FAILURE = re.compile(
    r"gRPC call poll_\w+ retried \d+ times"
    r"|Error while polling for \w+ tasks"
    r"|Task polling has encountered errors continuously"
)
SUMMARY_EVERY_SECONDS = 60.0
RECOVERY_CHECK_SECONDS = 5.0


def core_words(record: logging.LogRecord) -> str:
    """What the core said, without what the forwarding added around it."""
    entry = getattr(record, "temporal_log", None)
    message = getattr(entry, "message", None)
    return message if isinstance(message, str) else record.getMessage()


def is_poll_failure(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING and bool(_POLL_FAILURE.match(core_words(record)))


class PollOutage(logging.Filter):
    """The filter; ``clock`` (monotonic seconds) only for tests."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        summary_every: float = SUMMARY_EVERY_SECONDS,
    ) -> None:
        super().__init__()
        self._clock = clock
        self._summary_every = summary_every
        self._lock = threading.Lock()  # the core's lines may come from another thread
        self._since: float | None = None
        self._said_at = 0.0
        self._held = 0  # this outage
        self._held_since_said = 0

    @property
    def ongoing(self) -> bool:
        return self._since is not None

    def filter(self, record: logging.LogRecord) -> bool:
        if not is_poll_failure(record):
            return True
        with self._lock:
            now = self._clock()
            if self._since is None:
                self._since = self._said_at = now
                self._held = self._held_since_said = 0
                record.msg = (
                    f"{record.getMessage()} (Temporal polling fails: further such warnings are "
                    "counted, summed up once a minute and at the outage's end)"
                )
                record.args = ()
                return True
            self._held += 1
            self._held_since_said += 1
            log.debug(
                "poll failure held back (%d in this outage): %s", self._held, core_words(record)
            )
            if now - self._said_at < self._summary_every:
                return False
            since, held_since_said = self._since, self._held_since_said
            self._said_at, self._held_since_said = now, 0
        log.warning(
            "Temporal polling still fails after %.0f s: %d more poll failure warning(s) held back",
            now - since,
            held_since_said,
        )
        return False

    def answered_again(self) -> None:
        """Ends the outage, if one is under way, with its one line."""
        with self._lock:
            if self._since is None:
                return
            lasted, held = self._clock() - self._since, self._held
            self._since = None
        log.warning(
            "Temporal answers again: polling failed for %.0f s; %d poll failure warning(s) were "
            "held back",
            lasted,
            held,
        )


async def watch_recovery(
    client: Client, outage: PollOutage, every: float = RECOVERY_CHECK_SECONDS
) -> None:
    """Until cancelled: during an outage, asks Temporal every ``every`` seconds whether it
    answers, and ends the outage when it does."""
    while True:
        await asyncio.sleep(every)
        if not outage.ongoing:
            continue
        try:
            await client.workflow_service.get_system_info(
                GetSystemInfoRequest(), timeout=timedelta(seconds=2)
            )
        except Exception:  # still away: the pollers' retries go on
            continue
        outage.answered_again()
