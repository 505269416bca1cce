"""``python -m bench console`` runs end to end (real server, three consoles) and ends with
one JSON line carrying the figures the README quotes (also the fan-out to raw SSE readers and
``/v1/ops`` latency beside them); a small burst and 20 readers keep it fast."""

from __future__ import annotations

import json

import pytest

from bench.console import main


def test_console_benchmark_prints_its_figures_as_the_last_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--quick", "--orders", "5", "--burst", "30", "--streams", "20"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    figures = json.loads(last)
    assert {"visible_p99_ms", "burst_max_stall_ms", "idle_jitter_ms"} <= figures.keys()
    assert figures["orders"] == 5 and figures["burst"] == 30 and figures["consoles"] == 3
    assert 0 < figures["visible_p50_ms"] <= figures["visible_p99_ms"] < 1000
    assert figures["burst_all_visible_ms"] > 0 and figures["idle_jitter_ms"] >= 0
    assert figures["streams"] == 20 and figures["fanout_orders"] == 5
    assert 0 < figures["fanout_p50_ms"] <= figures["fanout_p99_ms"] < 1000
    assert figures["ops_none_p50_ms"] > 0 and figures["ops_streams_ratio"] > 0
