"""Benchmarks (`make bench`): run as a script, never collected by pytest (no test_ modules here)."""
