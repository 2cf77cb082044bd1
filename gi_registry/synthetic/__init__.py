"""Synthetic national-scale data for benchmarks and load tests: generated, seeded, marked synthetic."""
