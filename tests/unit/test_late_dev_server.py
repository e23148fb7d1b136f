"""The clean-up behind `start_dev_server`'s retry: a dev server that missed its start-up time is
stopped by its port, and only it (the session's other servers are children of the same process)."""

from __future__ import annotations

import socket
import subprocess

from tests.support import binary, stop_late_dev_server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _dev_server(port: int) -> subprocess.Popen[bytes]:
    command = [binary("temporal"), "server", "start-dev", "--headless", "--ip", "127.0.0.1"]
    return subprocess.Popen(
        [*command, "--port", str(port), "--ui-port", str(_free_port()), "--log-level", "error"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_the_late_server_on_the_port_is_stopped_and_no_other() -> None:
    late_port, other_port = _free_port(), _free_port()
    late, other = _dev_server(late_port), _dev_server(other_port)
    try:
        assert stop_late_dev_server(late_port) == [late.pid]
        # A killed process is gone at once; the bound is for a machine running both suites
        assert late.wait(timeout=120) == -9
        assert other.poll() is None
    finally:
        for process in (late, other):
            if process.poll() is None:
                process.kill()
                process.wait(timeout=120)
