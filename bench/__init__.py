"""Benchmarks that start their own stack: `python -m bench.journey_bench` (or `make bench`)."""
