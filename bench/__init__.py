"""Benchmarks (scripts, not tests). Run them all with `make bench`; see bench/README.md."""
