"""Benchmarks that start their own stack: `python -m bench.step_bench` (one step against
Temporal's own cost) and `python -m bench.journey_bench` (journeys/s); `make bench` runs both."""
