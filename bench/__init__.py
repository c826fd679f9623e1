"""Kezek's benchmarks: `python -m bench` (see bench/runner.py) and the bulk generator
(bench/generate.py). Each case in bench/cases/ measures its baseline in the same run."""
