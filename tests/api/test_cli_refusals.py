"""A command Temporal answers with a refusal (a namespace that does not exist) stops with one line
naming the setting to check and exit 1, as the README says of the worker, not a traceback; a
`--clinic` naming nothing is refused before Temporal is asked."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from domain.store.models import Clinic
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


async def test_reconcile_refuses_a_clinic_id_that_names_nothing(
    database: str, temporal_address: str
) -> None:
    # Given a clinic with no journeys, and an id no clinic, journey or counter has
    known = (await Clinic.create(id=f"quiet-{uuid.uuid4().hex}", name="Quiet")).id
    env = {**environment(database, temporal_address), "PYTHONPATH": str(ROOT)}

    def reconcile(clinic_id: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "server.cli", "reconcile", "--clinic", clinic_id],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=90,
        )

    # Then the real clinic is checked and found clean
    clean = reconcile(known)
    assert (clean.returncode, clean.stdout.splitlines()[-1:]) == (0, ["0 drift(s) found"]), (
        clean.stderr
    )
    # And the mistyped one is refused, exit 2: "0 drift(s) found" would pass a scheduled check
    # forever without looking at anything
    typo = reconcile(f"{known}-typo")
    assert typo.returncode == 2, typo.stdout + typo.stderr
    assert "drift(s) found" not in typo.stdout
    assert f"no clinic, journey or stage counter with the id {known}-typo" in typo.stderr
