"""Smoke test of ``python -m bench cabinet``: a few guests signed in against a real server on
PostgreSQL browse the cabinet and order from its shop while a console accepts the orders off
its stream; the table and one JSON line with the figures, no errors."""

from __future__ import annotations

import json
import os

import pytest

from bench import cabinet
from bench.__main__ import BENCHMARKS


@pytest.mark.postgres
def test_the_cabinet_bench_runs_and_ends_with_its_json(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:  # fmt: skip
    if not os.environ.get("POS_TEST_PG_URL"):
        pytest.skip("POS_TEST_PG_URL is not set (PostgreSQL did not answer): skipped")
    assert BENCHMARKS["cabinet"] == "bench.cabinet"
    code = cabinet.main(["--quick", "--guests", "4", "--seconds", "3", "--think", "0.3"])
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["benchmark"] == "cabinet" and result["guests"] == 4
    assert result["errors"] == 0, lines
    assert code == 0, lines
    assert result["page_p99_ms"] > 0 and result["health_p50_ms"] > 0
    for page in ("home", "profile", "history_orders", "history_balance", "history_points",
                 "shop_menu", "shop_search", "shop_add", "shop_place_order"):  # fmt: skip
        assert result[f"{page}_p99_ms"] is not None, page
    # every order placed reached the console's stream and was accepted there
    assert result["orders"] >= 1 and result["accepted"] == result["orders"]
    assert result["order_console_p99_ms"] > 0
    assert any(line.startswith("all pages") for line in lines)
