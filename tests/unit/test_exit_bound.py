"""A test process whose tests all passed but which cannot exit ends within its bound, failing and
naming the thread it waited on (`tests/exit_bound.py`).

Found in CI: a connection nothing closed kept its thread, and the SQLite run, green, never ended.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# A passing test that leaves a non-daemon thread waiting for good, as a leaked connection does.
LEAKING_TEST = """
import threading

never = threading.Event()


def wait_for_good():
    never.wait()


def test_leaves_a_thread_behind():
    threading.Thread(target=wait_for_good, name="left-behind").start()
"""


def test_a_run_held_at_exit_by_a_thread_fails_with_its_stack(tmp_path: Path) -> None:
    # Given a test file whose one test passes and leaves a thread that never ends
    (tmp_path / "test_leaking.py").write_text(LEAKING_TEST)
    env = {**os.environ, "GLOWPATH_TEST_EXIT_BOUND_SECONDS": "1"}
    # When pytest runs it with the exit bound (bounded here too: without it, this never returns)
    bounded = ["-p", "tests.exit_bound", "--rootdir", str(tmp_path)]
    leaking = str(tmp_path / "test_leaking.py")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *bounded, leaking],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Then the test passed, and the process ended failing, with the waiting thread's stack
    assert "1 passed" in done.stdout
    assert done.returncode == 1
    assert "wait_for_good" in done.stderr


# One quick file and one slow file: with a file a worker, the quick worker is done long before
# the slow one, and waits for the run's end before its process exits.
QUICK_FILE = """
def test_quick():
    assert True
"""
SLOW_FILE = """
import time


def test_slow():
    time.sleep(12)  # the other worker's wait, three times the bound below
"""


def test_a_worker_done_before_the_other_is_not_cut_off_while_it_waits(tmp_path: Path) -> None:
    # Given two files for two workers, one done seconds before the other, and a 4 s exit bound
    # (an interpreter's own exit takes more than a second on a loaded machine)
    (tmp_path / "test_quick.py").write_text(QUICK_FILE)
    (tmp_path / "test_slow.py").write_text(SLOW_FILE)
    env = {**os.environ, "GLOWPATH_TEST_EXIT_BOUND_SECONDS": "4"}
    # When pytest runs them on two workers, a file each
    workers = ["-p", "no:cacheprovider", "-n", "2", "--dist", "loadfile"]
    bounded = ["-p", "tests.exit_bound", "--rootdir", str(tmp_path)]
    files = [str(tmp_path / "test_quick.py"), str(tmp_path / "test_slow.py")]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *workers, *bounded, *files],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Then the waiting worker was left alone: both passed, and the run ended passing
    assert "2 passed" in done.stdout, done.stdout + done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    assert "most recent call first" not in done.stderr
