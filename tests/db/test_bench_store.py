"""Smoke test of ``python -m bench store``: it runs and ends with the JSON line it promises."""

import json
import subprocess
import sys


def test_bench_store_prints_its_figures_as_the_last_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "store", "--sales", "20"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["sales"] == 20
    assert figures["sales_per_s"] > 0 and figures["raw_per_s"] > 0
    assert abs(figures["ratio"] - figures["sales_per_s"] / figures["raw_per_s"]) < 0.01
