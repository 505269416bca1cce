"""Migration 0016 merges the points and money ledgers into accounts / postings / overdrafts with
a kind, on SQLite and PostgreSQL: every row copied, a guest's two accounts kept apart by kind,
points ids kept, money ids after them, new rows numbered after the copied ones; and back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, text

from pos_server.db import make_engine
from pos_server.db.migrate import alembic_config, upgrade
from tests.server.conftest import PG_SKIP_REASON, PG_URL, throwaway_pg_database

AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
HELD = ", held_after, hold_id"  # the columns only bonus_postings has


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_at_0015(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        upgrade(url, "0015")
        yield url
        return
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    with throwaway_pg_database(PG_URL) as url:
        upgrade(url, "0015")
        yield url


def _run(url: str, *statements: tuple[str, dict[str, Any]]) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            for sql, params in statements:
                connection.execute(text(sql), params)
    finally:
        engine.dispose()


def _rows(connection: Connection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in connection.execute(text(sql))]


def _posting(table: str, id_: int, account: str, kind: str, *, amount: int, after: int,
             extra: str = "") -> tuple[str, dict[str, Any]]:  # fmt: skip
    columns = "id, account_id, kind, amount, total_after, at, actor, reason" + extra
    values = ":id, :account, :kind, :amount, :after, :at, 'test', 'test'"
    if extra:
        values += ", :after, :hold"
    return (f"INSERT INTO {table} ({columns}) VALUES ({values})",
            {"id": id_, "account": account, "kind": kind, "amount": amount, "after": after,
             "at": AT, "hold": "h1" if kind == "hold" else None})  # fmt: skip


def _old_ledgers(url: str) -> None:
    """Anna has points and a balance (one id in both old tables); Boris only points; the old
    id sequences overlap."""
    guest = "INSERT INTO guests (id, name, created_at, created_by) VALUES (:id, :id, :at, 't1')"
    _run(url, ("INSERT INTO terminals (id, name, created_at, last_seq) "
               "VALUES ('t1', 'Till 1', :at, 0)", {"at": AT}),
         (guest, {"id": "anna", "at": AT}), (guest, {"id": "boris", "at": AT}),
         ("INSERT INTO bonus_accounts (id, total, held) VALUES ('anna', 700, 300), "
          "('boris', 50, 0)", {}),
         ("INSERT INTO balance_accounts (id, total) VALUES ('anna', -200)", {}),
         ("INSERT INTO bonus_holds (id, account_id, amount, created_at, expires_at, terminal_id,"
          " status, committed_amount) VALUES ('h1', 'anna', 300, :at, :at, 't1', 'open', 0)",
          {"at": AT}),
         _posting("bonus_postings", 1, "anna", "credit", amount=1000, after=1000, extra=HELD),
         _posting("bonus_postings", 2, "boris", "credit", amount=50, after=50, extra=HELD),
         _posting("bonus_postings", 3, "anna", "hold", amount=300, after=1000, extra=HELD),
         _posting("balance_postings", 1, "anna", "credit", amount=100, after=100),
         _posting("balance_postings", 2, "anna", "debit", amount=300, after=-200),
         ("INSERT INTO overdrafts (id, account_id, amount, at, reason, hold_id) "
          "VALUES (1, 'anna', 40, :at, 'offline hold', 'h1')", {"at": AT}),
         ("INSERT INTO balance_overdrafts (id, account_id, amount, at, reason) "
          "VALUES (1, 'anna', 200, :at, 'offline payment')", {"at": AT}))  # fmt: skip


def test_both_ledgers_become_one_family_with_every_row_and_back(db_at_0015: str) -> None:
    url = db_at_0015
    _old_ledgers(url)
    upgrade(url, "0016")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            assert _rows(connection, "SELECT kind, id, total, held FROM accounts "
                                     "ORDER BY kind, id") == [
                ("money", "anna", -200, 0), ("points", "anna", 700, 300),
                ("points", "boris", 50, 0)]  # fmt: skip
            assert _rows(connection, "SELECT id, account_kind, account_id, kind, total_after, "
                                     "held_after, hold_id FROM postings ORDER BY id") == [
                (1, "points", "anna", "credit", 1000, 1000, None),
                (2, "points", "boris", "credit", 50, 50, None),
                (3, "points", "anna", "hold", 1000, 1000, "h1"),
                (4, "money", "anna", "credit", 100, 0, None),
                (5, "money", "anna", "debit", -200, 0, None)]  # fmt: skip
            assert _rows(connection, "SELECT id, account_kind, account_id, amount, hold_id "
                                     "FROM overdrafts ORDER BY id") == [
                (1, "points", "anna", 40, "h1"), (2, "money", "anna", 200, None)]  # fmt: skip
            assert _rows(connection, "SELECT id, account_kind, account_id, status "
                                     "FROM bonus_holds") == [("h1", "points", "anna", "open")]
            # new rows are numbered after the copied ones (PostgreSQL: the sequences moved)
            connection.execute(text(
                "INSERT INTO postings (account_kind, account_id, kind, amount, total_after, "
                "held_after, at, actor, reason) VALUES ('money', 'anna', 'credit', 200, 0, 0, "
                ":at, 'test', 'test')"), {"at": AT})  # fmt: skip
            connection.execute(text(
                "INSERT INTO overdrafts (account_kind, account_id, amount, at, reason) "
                "VALUES ('points', 'boris', 1, :at, 'test')"), {"at": AT})  # fmt: skip
            assert _rows(connection, "SELECT MAX(id) FROM postings") == [(6,)]
            assert _rows(connection, "SELECT MAX(id) FROM overdrafts") == [(3,)]
        command.downgrade(alembic_config(url), "0015")
        with engine.begin() as connection:
            assert _rows(connection, "SELECT id, total, held FROM bonus_accounts ORDER BY id"
                         ) == [("anna", 700, 300), ("boris", 50, 0)]  # fmt: skip
            assert _rows(connection, "SELECT id, total FROM balance_accounts") == [("anna", -200)]
            assert _rows(connection, "SELECT id, kind FROM bonus_postings ORDER BY id") == [
                (1, "credit"), (2, "credit"), (3, "hold")]
            assert _rows(connection, "SELECT id, kind, total_after FROM balance_postings "
                                     "ORDER BY id") == [
                (4, "credit", 100), (5, "debit", -200), (6, "credit", 0)]  # fmt: skip
            assert _rows(connection, "SELECT id, amount FROM overdrafts ORDER BY id") == [
                (1, 40), (3, 1)]
            assert _rows(connection, "SELECT id, amount FROM balance_overdrafts") == [(2, 200)]
            assert _rows(connection, "SELECT id, account_id FROM bonus_holds") == [("h1", "anna")]
    finally:
        engine.dispose()
    upgrade(url)  # and up again, to the head
