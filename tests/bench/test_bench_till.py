"""Smoke test of ``python -m bench till``: it runs end to end on a small store and ends with
the JSON line it promises (the real figures come from the full run, see README)."""

import json
import os
import subprocess
import sys


def test_bench_till_prints_its_figures_as_the_last_line() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "bench", "till", "--guests", "500", "--rounds", "20",
         "--starts", "1", "--scans", "20"],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["guests"] == 500
    assert 0 < figures["identify_p50_ms"] <= figures["identify_p99_ms"]
    assert figures["identify_ratio"] > 1  # the till does more than one indexed lookup
    assert figures["basket_lines"] == 50
    assert 0 < figures["scan_line_p50_ms"] <= figures["scan_line_p99_ms"]
    assert figures["start_ms"] > 0 and figures["bare_start_ms"] > 0
    assert abs(figures["start_ratio"] - figures["start_ms"] / figures["bare_start_ms"]) < 0.01
    assert figures["ready_ms"] >= figures["start_ms"]
