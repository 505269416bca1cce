"""Smoke test of ``python -m bench notify``: a short drain against the fake Bot API, every
message delivered once and Telegram's 30 a second never exceeded."""

import json
import subprocess
import sys


def test_bench_notify_drains_once_within_the_rate() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "notify", "--messages", "90"],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["messages"] == 90 and figures["lost"] == 0 and figures["sent_twice"] == 0
    assert figures["max_in_one_second"] <= 30
    assert figures["drain_s"] >= 2.5  # 90 messages cannot go faster than 30 a second
