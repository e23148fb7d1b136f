"""Every benchmark stops cleanly on SIGINT or SIGTERM: what it started (a dev server, API and
worker processes, a PostgreSQL database) is stopped before it exits. A benchmark killed by
`timeout` or an operator used to leave its processes and its database behind."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"

# A run that sends itself the signal once it is under way, then waits for ever; its clean-up
# says it ran.
_SIGNALLED_RUN = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from bench.runner import run_benchmark

    async def run():
        try:
            asyncio.get_running_loop().call_soon(os.kill, os.getpid(), signal.{name})
            await asyncio.sleep(60)
        finally:
            print("cleaned up", flush=True)
        return "report"

    sys.exit(run_benchmark(run))
    """
)


def _signalled(name: str) -> subprocess.CompletedProcess[str]:
    code = _SIGNALLED_RUN.format(name=name)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )


def test_a_signal_stops_the_run_after_its_clean_up_with_the_signals_status() -> None:
    for name, status in (("SIGTERM", 128 + 15), ("SIGINT", 128 + 2)):
        done = _signalled(name)
        assert done.returncode == status, (name, done.stdout, done.stderr)
        assert done.stdout.split() == ["cleaned", "up"], done.stdout  # no report printed
        assert f"stopped by {name}" in done.stderr


def test_every_benchmark_runs_under_the_runner() -> None:
    """A script whose entry point calls `asyncio.run` itself has no signal handlers: SIGTERM
    kills it where it stands. (`asyncio.run` elsewhere, in a child process's function, is the
    child's own business.)"""
    entry_points = [
        path
        for path in BENCH.glob("*.py")
        if '__name__ == "__main__"' in path.read_text() and path.stem != "runner"
    ]
    assert len(entry_points) >= 10
    bare = [path.name for path in entry_points if not _enters_through_the_runner(path)]
    # The floor's worker and the load generator are children of a benchmark, stopped by it.
    assert sorted(bare) == ["floor.py", "throughput_load.py"]


def _enters_through_the_runner(path: Path) -> bool:
    module = ast.parse(path.read_text())
    entry = [
        node
        for node in module.body
        if (isinstance(node, ast.FunctionDef) and node.name == "main")
        or (isinstance(node, ast.If) and "__main__" in ast.unparse(node.test))
    ]
    calls = [
        ast.unparse(node.func)
        for part in entry
        for node in ast.walk(part)
        if isinstance(node, ast.Call)
    ]
    runner = {"run_benchmark", "command_line"}
    return "asyncio.run" not in calls and (bool(runner & set(calls)) or _is_runner_main(module))


def _is_runner_main(module: ast.Module) -> bool:
    """`main = command_line(...)`: the runner's own entry point."""
    return any(
        isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func) == "command_line"
        for node in module.body
    )
