"""The benchmark's CPU split reads a process's own CPU time, and a gone process counts nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from bench import cpu_split

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def test_the_cpu_a_process_spends_is_counted_to_its_group() -> None:
    # Given a snapshot of this process and of one that is about to exit
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    before = cpu_split.snapshot({"me": [os.getpid()], "gone": [child.pid]})
    # When this process spins for a quarter of a second of CPU
    began = time.process_time()
    while time.process_time() - began < 0.25:
        pass
    spent = cpu_split.spent(before, cpu_split.snapshot({"me": [os.getpid()], "gone": [child.pid]}))
    # Then its group is charged about that (clock ticks are 10 ms), the gone one nothing
    assert 0.2 <= spent["me"] <= 2.0, spent
    assert spent["gone"] == 0.0
    assert spent[cpu_split.POSTGRES] >= 0.0
