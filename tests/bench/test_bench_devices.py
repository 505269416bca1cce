"""Smoke test of ``python -m bench devices``: it runs and ends with the JSON line it promises."""

import json
import subprocess
import sys


def test_bench_devices_prints_its_figures_as_the_last_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "devices", "--runs", "1", "--scans", "20"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["receipt_lines"] >= 30 and figures["baud"] == 19200
    # the wire time is the job's own bytes at 19 200 baud, and printing cannot beat it
    assert abs(figures["wire_s"] - figures["receipt_bytes"] * 10 / 19200) < 0.01
    assert figures["receipt_s"] >= figures["wire_s"]
    assert abs(figures["receipt_ratio"] - figures["receipt_s"] / figures["wire_s"]) < 0.01
    assert 0 < figures["scan_p99_ms"] < 1000 and figures["scans"] == 20
