"""A command Temporal answers with a refusal (a namespace that does not exist) stops with one line
naming the setting to check and exit 1, as the README says of the worker, not a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.api.test_processes import ROOT, environment


@pytest.mark.parametrize("command", [["worker"], ["reconcile"]])
def test_a_namespace_temporal_does_not_have(
    database: str, temporal_address: str, command: list[str]
) -> None:
    env = environment(database, temporal_address, GLOWPATH_TEMPORAL_NAMESPACE="no-such-namespace")
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", *command],
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "no-such-namespace" in done.stderr
    assert "GLOWPATH_TEMPORAL_NAMESPACE" in done.stderr.splitlines()[-1]
