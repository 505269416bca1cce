"""Smoke test of ``python -m bench backoffice``: a small run on PostgreSQL prints the table
and ends with one JSON line holding every case's p99."""

from __future__ import annotations

import json
import os

import pytest

from bench import backoffice
from bench.__main__ import BENCHMARKS


@pytest.mark.postgres
def test_the_backoffice_bench_runs_and_ends_with_its_json(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:  # fmt: skip
    if not os.environ.get("POS_TEST_PG_URL"):
        pytest.skip("POS_TEST_PG_URL is not set (PostgreSQL did not answer): skipped")
    assert BENCHMARKS["backoffice"] == "bench.backoffice"
    assert backoffice.main(["--quick", "--guests", "2000", "--postings", "600",
                            "--rounds", "20"]) == 0  # fmt: skip
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["benchmark"] == "backoffice" and result["guests"] == 2000
    for case in (
        "baseline_guest_by_id",
        "search_name",
        "search_phone",
        "search_e-mail",
        "search_card",
        "card_history_page_1",
        "card_history_deep",
    ):
        assert result[case] > 0, case
    assert any(line.startswith("search: name") for line in lines)
