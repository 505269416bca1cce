"""Smoke test of ``python -m bench server``'s parts, kept short: a real ``pos-server run``
(SQLite, 3 terminals, 1 s) whose pairs all land in the ledger, and pgbench's tps parsed."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

from bench import server as bench
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import BonusHoldRow, PostingRow


def test_hold_commit_pairs_against_a_real_server_all_reach_the_ledger(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/bench.sqlite3"
    result = bench.bench_server(url, seconds=1.0, workers=1, terminals=3)
    assert result["pairs"] > 0 and result["pairs_per_s"] > 0
    assert 0 < result["p50_ms"] <= result["p99_ms"]
    engine = make_engine(url)
    try:
        with make_sessions(engine)() as session:
            committed = session.scalar(select(func.count()).select_from(BonusHoldRow)
                                       .where(BonusHoldRow.status == "committed"))
            commits = session.scalar(select(func.count()).select_from(PostingRow)
                                     .where(PostingRow.kind == "commit"))
    finally:
        engine.dispose()
    # the warm-up's pairs are in the ledger too: at least the measured ones, each once
    assert committed == commits and committed >= result["pairs"]


@pytest.mark.postgres
def test_pgbench_tps_is_measured() -> None:
    if not os.environ.get("POS_TEST_PG_URL"):
        pytest.skip("POS_TEST_PG_URL is not set (PostgreSQL did not answer): skipped")
    assert bench.bench_pgbench(seconds=1, scale=1, clients=2) > 0
