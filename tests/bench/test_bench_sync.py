"""Smoke test of ``python -m bench sync``: both halves run against a real server and the last
line is the JSON object with the four figures the issue asks for."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pos_app.commands.composition import sync_engine
from pos_app.commands.sync_runtime import SyncRuntime


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


def test_the_drain_measures_the_worker_the_composition_root_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bench sync`` drains through ``composition.sync_engine`` (the sender lock, the feed
    pulled after the reconnect), the worker every till runs, not one wired by hand."""
    from bench import sync as bench_sync

    built: list[SyncRuntime] = []

    def recording(*args: Any, **kwargs: Any) -> SyncRuntime:
        built.append(sync_engine(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(bench_sync, "sync_engine", recording)
    figures = bench_sync.drain(tmp_path, 5)
    assert figures["drain_ops"] == 5 and len(built) == 1
    assert built[0].worker.state.snapshot.online  # it reached the server and drained
