"""What a chaos run found, and how it prints: per-fault timings, lost and duplicated actions."""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from dataclasses import dataclass, field

from bench.chaos_journeys import Tally
from bench.report import facts_block, table


@dataclass
class Fault:
    kind: str
    at: float
    ready_after: float = 0.0
    recovered_after: float | None = None


@dataclass
class Outcome:
    started: dict[int, str] = field(default_factory=dict)
    gave_up: dict[int, str] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    started_at: float = 0.0
    finished: int = 0  # journeys driven to their end (reached FOLLOW_UP or given up)
    progress: asyncio.Event = field(default_factory=asyncio.Event)  # set as each one finishes


@dataclass
class Verdict:
    """What a run found: clean when nothing was lost or repeated and reconcile saw no drift."""

    lost: list[str]
    duplicated: list[str]
    reconcile_exit: int
    faults: list[str]  # the kind of each fault injected, in order
    elapsed: float

    @property
    def clean(self) -> bool:
        return not self.lost and not self.duplicated and self.reconcile_exit == 0


def recovery(outcome: Outcome, tally: Tally) -> list[float]:
    """Per fault: from the fault to the first call that succeeded once the part was ready."""
    seconds = []
    for fault in outcome.faults:
        first = tally.first_success_after(fault.at + fault.ready_after)
        fault.recovered_after = None if first is None else first - fault.at
        seconds.append(fault.recovered_after or fault.ready_after)
    return seconds


def print_report(
    args: argparse.Namespace,
    load: float | None,
    elapsed: float,
    outcome: Outcome,
    tally: Tally,
    errors: int,
    lost: list[str],
    duplicated: list[str],
) -> None:
    seconds = recovery(outcome, tally)
    kinds = Counter(f.kind for f in outcome.faults)
    print("Chaos run")
    print(
        facts_block(
            [
                ("read model", "PostgreSQL" if args.postgres else "SQLite (temporary file)"),
                ("load", f"{'?' if load is None else f'{load:.2f}'} (1-minute average at start)"),
                ("options", _options_text(args)),
                ("elapsed", f"{elapsed:.1f} s"),
            ]
        )
    )
    rows = [
        ("journeys driven", str(args.journeys)),
        (
            "faults injected",
            f"{len(outcome.faults)} ({', '.join(f'{k} x{v}' for k, v in kinds.items()) or '-'})",
        ),
        ("lost", str(len(lost))),
        ("duplicated", str(len(duplicated))),
        ("client-visible errors", f"{errors} (failed attempts, each retried with its key)"),
        ("recovery seconds", _recovery_text(seconds)),
    ]
    print()
    print(facts_block(rows))
    if outcome.faults:
        print("\nfaults (seconds):")
        print(table(("fault", "at", "ready after", "first success after"), _fault_rows(outcome)))
    for title, lines in (("lost", lost), ("duplicated", duplicated)):
        if lines:
            print(f"\n{title}:\n  " + "\n  ".join(lines[:20]))
    if tally.errors:
        print("\nfailed attempts by call and answer:")
        print(
            table(("call: answer", "count"), [(k, str(v)) for k, v in tally.errors.most_common()])
        )


def _fault_rows(outcome: Outcome) -> list[tuple[str, str, str, str]]:
    start = outcome.started_at
    return [
        (
            f.kind,
            f"{f.at - start:.1f}",
            f"{f.ready_after:.1f}",
            "-" if f.recovered_after is None else f"{f.recovered_after:.1f}",
        )
        for f in outcome.faults
    ]


def _recovery_text(seconds: list[float]) -> str:
    if not seconds:
        return "-"
    return f"max {max(seconds):.1f}, mean {sum(seconds) / len(seconds):.1f}"


def _options_text(args: argparse.Namespace) -> str:
    pace = (
        f"{args.faults} faults spread over the journeys"
        if args.faults
        else f"a fault every {args.fault_every} s"
    )
    return f"concurrency {args.concurrency}, {pace}"
