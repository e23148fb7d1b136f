"""Mermaid text of the journey machine, drawn from the state table."""

from __future__ import annotations

from domain.journey.stages import TERMINAL_STAGES, Stage
from domain.journey.table import TRANSITIONS


def mermaid(current: Stage | None = None) -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {Stage.RECEPTION.value}"]
    seen: set[tuple[str, str, str]] = set()
    for row in TRANSITIONS:
        sources = row["source"] if isinstance(row["source"], list) else [row["source"]]
        for source in sources:
            # dest None: an internal transition, drawn as a loop on its source.
            dest = row["dest"] or source
            edge = (source.value, dest.value, row["trigger"])
            if edge not in seen:
                seen.add(edge)
                lines.append(f"    {edge[0]} --> {edge[1]}: {edge[2]}")
    lines += [f"    {stage.value} --> [*]" for stage in Stage if stage in TERMINAL_STAGES]
    if current is not None:
        lines.append("    classDef current fill:#f9d976,stroke:#b8860b,stroke-width:3px")
        lines.append(f"    class {current.value} current")
    return "\n".join(lines)
