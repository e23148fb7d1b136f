"""The benchmarks' clients are different people to the clinic: no registration of a run is
refused as a client the clinic already has, whichever numbers the run's scripts give them."""

from __future__ import annotations

from datetime import date

from bench.operations import client_input
from domain.client_file.matching import match_keys

# The numbers the scripts give their clients: journeys counted from 0 or 1, and the ranges of
# their own the audit and step benchmarks and each throughput generator and phase start at.
STARTS = (0, 100_000, 800_000, 900_000, 1_000_001, 2_000_001, 5_000_001)


def test_no_two_clients_of_a_run_share_a_match_key() -> None:
    # Given every client the scripts of one run may register
    numbers = {start + k for start in STARTS for k in range(2_000)}
    # When each one's keys are made as a registration makes them
    keys = [
        key
        for n in numbers
        for given in [client_input(n)]
        for key in match_keys(
            given["fullName"],
            date.fromisoformat(given["birthDate"]),
            given["phone"],
            given.get("email"),
        )
    ]
    # Then no key is any other client's
    assert len(keys) == len(set(keys)) == 2 * len(numbers)
