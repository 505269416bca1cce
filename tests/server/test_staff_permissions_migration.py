"""Migration 0025 leaves one store of staff permissions: the guest card's JSON grants move
into ``staff_permissions`` (``adjust_accounts`` as ``bonus_settings``, role-only ones dropped),
the back office's ``bonus`` becomes ``bonus_settings``, the column goes; and back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from pos_server.db import make_engine
from pos_server.db.migrate import alembic_config, upgrade
from tests.server.conftest import PG_SKIP_REASON, PG_URL, throwaway_pg_database

AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
STAFF = ("INSERT INTO staff (id, name, role, pin_hash, salt, params, active, created_at, "
         "updated_at, permissions) VALUES (:id, :id, 'cashier', 'h', 's', '{}', true, :at, :at,"
         " :p)")  # fmt: skip


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_at_0024(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        upgrade(url, "0024")
        yield url
        return
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    with throwaway_pg_database(PG_URL) as url:
        upgrade(url, "0024")
        yield url


def test_grants_move_into_the_one_table_and_back(db_at_0024: str) -> None:
    url = db_at_0024
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            for staff_id, grants in (("kate", '["bonus_settings"]'), ("ivan", '["guest_group"]'),
                                     ("mia", '["adjust_accounts"]'), ("ola", "[]")):  # fmt: skip
                connection.execute(text(STAFF), {"id": staff_id, "at": AT, "p": grants})
            for staff_id, permission in (("ola", "bonus"), ("ola", "reports"), ("kate", "bonus")):
                connection.execute(text("INSERT INTO staff_permissions VALUES (:s, :p)"),
                                   {"s": staff_id, "p": permission})  # fmt: skip
        upgrade(url)
        with engine.begin() as connection:
            assert sorted(connection.execute(text("SELECT * FROM staff_permissions"))) == [
                ("kate", "bonus_settings"), ("mia", "bonus_settings"),
                ("ola", "bonus_settings"), ("ola", "reports")]  # fmt: skip
            columns = [r[1] for r in connection.execute(text("SELECT * FROM staff LIMIT 0")
                                                        ).cursor.description or ()]  # fmt: skip
        command.downgrade(alembic_config(url), "0024")
        with engine.begin() as connection:
            grants = dict(connection.execute(text("SELECT id, permissions FROM staff")).all())
            assert sorted(connection.execute(text("SELECT * FROM staff_permissions"))) == [
                ("kate", "bonus"),
                ("mia", "bonus"),
                ("ola", "bonus"),
                ("ola", "reports"),
            ]
    finally:
        engine.dispose()
    assert "permissions" not in columns
    assert {k: v if isinstance(v, list) else __import__("json").loads(v)
            for k, v in grants.items()} == {"kate": ["bonus_settings"], "mia": ["bonus_settings"],
                                            "ola": ["bonus_settings"], "ivan": []}  # fmt: skip
