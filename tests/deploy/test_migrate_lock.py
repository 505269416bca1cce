"""Several ``pos-server migrate`` started at once on a fresh database all succeed, and the
schema ends at the newest revision, matching the models (``pos_server.db.migration_lock``).

Before the lock, three at once on PostgreSQL crashed two of them with ``UniqueViolation`` on
``alembic_version`` (seen 4 rounds out of 4 here), and on SQLite one in a while with "table
shifts already exists".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from pos_server.db import make_engine
from pos_server.db.migrate import alembic_config
from pos_server.db.models import Base
from tests.server.conftest import PG_SKIP_REASON, PG_URL, throwaway_pg_database

PROCESSES = 3


def migrate_at_once(url: str, count: int = PROCESSES) -> list[subprocess.CompletedProcess[str]]:
    started = [subprocess.Popen([sys.executable, "-m", "pos_server.cli", "migrate", "--db", url],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(count)]  # fmt: skip
    done = []
    for process in started:
        out, err = process.communicate(timeout=240)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


def assert_at_head(url: str) -> None:
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert context.get_current_revision() == head
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("round_", [1, 2])
def test_three_migrations_at_once_on_a_fresh_postgresql_database(round_: int) -> None:
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    with throwaway_pg_database(PG_URL) as url:
        results = migrate_at_once(url)
        assert [r.returncode for r in results] == [0] * PROCESSES, [r.stderr[-2000:]
                                                                    for r in results]
        assert_at_head(url)


def test_three_migrations_at_once_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    results = migrate_at_once(url)
    assert [r.returncode for r in results] == [0] * PROCESSES, [r.stderr[-2000:]
                                                                for r in results]
    assert_at_head(url)
