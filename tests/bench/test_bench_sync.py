"""Smoke test of ``python -m bench sync``: both halves run against a real server and the last
line is the JSON object with the four figures the issue asks for."""

import json
import subprocess
import sys


def test_bench_sync_prints_drain_and_first_sync_figures_as_the_last_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "sync", "--ops", "30", "--guests", "1500"],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["drain_ops"] == 30 and figures["guests"] == 1500
    for key in ("drain_ops_per_s", "drain_ratio", "first_sync_s", "first_sync_ratio"):
        assert figures[key] > 0, key
    rate = 30 / figures["drain_s"]
    assert abs(figures["drain_ops_per_s"] - rate) <= 1
    # The times are printed rounded to 1 ms and the ratio from the unrounded ones: with a bulk
    # insert of ~10 ms the rounding alone moves the recomputed ratio by a few per cent.
    first, bulk = figures["first_sync_s"], figures["bulk_insert_s"]
    low, high = (first - 0.0005) / (bulk + 0.0005), (first + 0.0005) / max(bulk - 0.0005, 1e-9)
    assert low - 0.001 <= figures["first_sync_ratio"] <= high + 0.001
