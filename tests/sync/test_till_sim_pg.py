"""``pos-app till-sim`` against a ``pos-server run`` on PostgreSQL (its own database)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests.sync.faultproxy import ServerProcess
from tests.sync.test_till_sim import sell_with_points

PG_URL = os.environ.get("POS_TEST_PG_URL")


@pytest.fixture
def pg_server(tmp_path: Path) -> Iterator[ServerProcess]:
    if not PG_URL:
        pytest.skip("POS_TEST_PG_URL is not set: PostgreSQL variant skipped")
    import psycopg

    name = f"tk_synccore_{uuid.uuid4().hex[:10]}"
    admin = make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        with ServerProcess(url, tmp_path, sweep_interval_seconds=0) as process:
            yield process
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_sales_with_points_reach_a_postgresql_server_exactly_once(
    pg_server: ServerProcess, tmp_path: Path
) -> None:
    sell_with_points(pg_server, tmp_path)
