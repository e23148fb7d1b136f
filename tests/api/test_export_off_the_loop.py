"""Exports at once build their copies off the event loop, one at a time.

Building a copy is CPU work in pure Python: the FHIR check of a file of 800 entries took 0.3 s,
and with the JSON document and its size 0.4 s, all of it on the event loop, so six exports at
once held every other request of the process for seconds.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections import Counter
from typing import Any

import pytest

from domain.roles import Role
from schema.clients import file_export
from tests.api.client_file_support import ALLERGY, RECORD_ALLERGY, entry, write
from tests.api.flow import JourneyDriver
from tests.api.test_client_export import EXPORT

EXPORTS = 6


class CheckWatch:
    """Where and how many at once the exports' FHIR checks ran (they run as before)."""

    def __init__(self, loop_thread: int) -> None:
        self.loop_thread = loop_thread
        self.threads: Counter[int] = Counter()
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def wrap(self, check: Any) -> Any:
        def watched(bundle: dict[str, Any]) -> list[str]:
            with self._lock:
                self.threads[threading.get_ident()] += 1
                self.running += 1
                self.most_at_once = max(self.most_at_once, self.running)
            try:
                return check(bundle)  # type: ignore[no-any-return]
            finally:
                with self._lock:
                    self.running -= 1

        return watched


async def test_exports_at_once_build_their_copies_off_the_event_loop_one_at_a_time(
    driver: JourneyDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client with a file
    client = await driver.register_client("Ola Nowak")
    for n in range(5):
        allergy = {**ALLERGY, "substance": f"substance {n}"}
        await entry(driver, RECORD_ALLERGY, Role.NURSE, clientId=client, **allergy)
    watch = CheckWatch(threading.get_ident())  # the API serves from this test's loop
    monkeypatch.setattr(file_export, "bundle_problems", watch.wrap(file_export.bundle_problems))
    # When a supervisor asks for six copies at once
    answers = await asyncio.gather(
        *(
            write(driver, EXPORT, Role.SUPERVISOR, clientId=client, idempotencyKey=new_key())
            for _ in range(EXPORTS)
        )
    )
    # Then each is answered, and every copy was checked off the event loop, one at a time
    assert [a["__typename"] for a in answers] == ["ClientFileExportPayload"] * EXPORTS, answers
    assert sum(watch.threads.values()) == EXPORTS
    assert watch.loop_thread not in watch.threads
    assert watch.most_at_once == 1


def new_key() -> str:
    return uuid.uuid4().hex
