"""What the PostgreSQL write benchmarks (`chain_bench`, `projection_bench`) share: a fresh,
migrated read model, the timings of one way of writing, and their rows in a report."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field

from bench import report
from bench.audit_bench import database
from domain.store.db import apply_migrations, close_db, init_db


@contextlib.asynccontextmanager
async def fresh_read_model() -> AsyncIterator[str]:
    """A new PostgreSQL database on 127.0.0.1:5432, migrated and open in this process; dropped
    at the end. Yields its URL."""
    async with database(postgres=True) as url:
        assert url is not None
        await apply_migrations(url)
        await init_db(url)
        try:
            yield url
        finally:
            await close_db()


def facts(load_at_start: float | None) -> list[tuple[str, str]]:
    """A report's facts: the machine, the load at both ends, the database."""
    return [
        *report.machine_facts(load_at_start)[:4],
        ("load at end", f"{report.load_average() or 0:.2f}"),
        ("database", "PostgreSQL 127.0.0.1:5432, a fresh database"),
    ]


@dataclass
class Timings:
    """One way's writes: each one's wall time, and the seconds they were written in."""

    samples_ns: list[int] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.samples_ns) / self.seconds if self.seconds else 0.0


def rows(phase: str, ways: Mapping[str, Timings], unit: str) -> list[list[str]]:
    """A row per way (rate, median, p99), then the second way's rate over the first's."""
    found = [
        [
            f"{phase}: {name}",
            f"{timings.per_second:.0f}",
            report.ms(report.median_ms(timings.samples_ns)),
            report.ms(report.p99_ms(timings.samples_ns)),
        ]
        for name, timings in ways.items()
    ]
    first, second = (timings.per_second for timings in ways.values())
    names = list(ways)
    found.append([f"  {names[1]} / {names[0]}, {unit}", f"{second / first:.2f}x", "", ""])
    return found
