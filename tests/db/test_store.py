"""The till's SQLite store: migrations, backup, durability settings, unit of work, outbox."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from pos_app.db import StoreError, open_store
from pos_app.db import store as store_module
from pos_app.db.outbox import NotDurable
from pos_app.db.store import head_revision
from pos_app.domain.catalog import Product
from pos_app.domain.money import rub
from pos_app.domain.operations import GUEST_CREATED, GuestCreated
from pos_app.domain.sale import Sale

from .conftest import NOW

MIGRATION_NEXT = '''"""Test-only revision: a column on settings."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("settings") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("settings") as batch:
        batch.drop_column("note")
'''


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_a_fresh_file_is_migrated_to_head(tmp_path: Path) -> None:
    path = tmp_path / "new" / "till.sqlite3"
    open_store(path, terminal_id="T1").close()
    assert {"products", "guests", "identifiers", "sales", "sale_lines", "payments", "outbox",
            "terminal_state", "settings", "account_snapshots"} <= tables(path)  # fmt: skip
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version == (head_revision(),)
    assert not list(tmp_path.glob("new/*.backup-*"))  # nothing to protect on a new file


def test_a_backup_is_taken_before_a_pending_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "till.sqlite3"
    with open_store(path, terminal_id="T1") as store, store.unit_of_work() as uow:
        uow.products.add(Product("latte", "Латте", rub(180)))
        uow.commit()
    migrations = tmp_path / "migrations"
    shutil.copytree(store_module.MIGRATIONS, migrations)
    old_head = head_revision()
    (migrations / "versions" / "9999_note.py").write_text(MIGRATION_NEXT.format(head=old_head))
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations)
    assert head_revision() == "9999"

    open_store(path).close()

    [backup] = tmp_path.glob(f"till.backup-*-{old_head}.sqlite3")
    with closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("SELECT name FROM products").fetchall() == [("Латте",)]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (old_head,)
    with closing(sqlite3.connect(path)) as conn:
        assert "note" in {r[1] for r in conn.execute("PRAGMA table_info(settings)")}
    open_store(path).close()  # at head now: no second backup
    assert list(tmp_path.glob("till.backup-*")) == [backup]


def test_every_connection_is_wal_with_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    with open_store(tmp_path / "t.sqlite3") as store:
        with store.unit_of_work() as uow:
            pragma = uow.connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == 5000
        with store.unit_of_work(durable=False) as uow:
            assert uow.connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        with store.unit_of_work() as uow:  # the same pooled connection, durable again
            assert uow.connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_the_unit_of_work_rolls_back_unless_committed(tmp_path: Path) -> None:
    with open_store(tmp_path / "t.sqlite3") as store:
        with store.unit_of_work() as uow:
            uow.products.add(Product("latte", "Латте", rub(180)))
            assert uow.products.get("latte") is not None  # visible inside
        with store.unit_of_work() as uow:
            assert uow.products.get("latte") is None
            uow.products.add(Product("latte", "Латте", rub(180)))
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.products.get("latte") == Product("latte", "Латте", rub(180))


def test_outbox_rows_go_with_their_transaction(tmp_path: Path) -> None:
    with open_store(tmp_path / "t.sqlite3", terminal_id="T9") as store:
        with store.unit_of_work() as uow:
            uow.sales.add(Sale.open("s1", "T9", NOW))
            uow.outbox.append(GuestCreated(guest_id="g1", name="Анна"))
        with store.unit_of_work() as uow:
            assert uow.sales.get("s1") is None
            assert uow.outbox.pending() == []
            uow.sales.add(Sale.open("s2", "T9", NOW))
            entry = uow.outbox.append(GuestCreated(guest_id="g2", name="Латте"))
            uow.commit()
        with store.unit_of_work() as uow:
            [op] = uow.outbox.pending()
        assert (op.seq, op.terminal_id, op.op_id) == (1, "T9", entry.op_id)
        assert (op.kind, op.payload) == (GUEST_CREATED,
                                         {"guest_id": "g2", "name": "Латте", "phone": None})
        assert op.created_at.tzinfo is not None


def test_a_relaxed_unit_of_work_may_not_write_operations(tmp_path: Path) -> None:
    with (
        open_store(tmp_path / "t.sqlite3") as store,
        store.unit_of_work(durable=False) as uow,
        pytest.raises(NotDurable),
    ):
        uow.outbox.append(GuestCreated(guest_id="g1", name="Анна"))


def test_seq_is_gap_free_across_rollbacks_and_threads(tmp_path: Path) -> None:
    with open_store(tmp_path / "t.sqlite3") as store:

        def worker(name: str) -> None:
            for i in range(60):
                with store.unit_of_work() as uow:
                    uow.outbox.append_stored("test.op", {"worker": name, "i": i})
                    if i % 3:  # every third one is rolled back
                        uow.commit()

        threads = [threading.Thread(target=worker, args=(n,)) for n in "abc"]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with store.unit_of_work() as uow:
            seqs = [op.seq for op in uow.outbox.pending(limit=1_000)]
    assert seqs == list(range(1, 3 * 40 + 1))


def test_a_sale_changed_elsewhere_is_read_again_not_served_from_the_cache(
    tmp_path: Path,
) -> None:
    path = tmp_path / "t.sqlite3"
    with open_store(path) as store:
        with store.unit_of_work() as uow:
            sale = Sale.open("s1", "T1", NOW)
            sale.add_line(Product("latte", "Латте", rub(180)))
            uow.sales.add(sale)
            uow.commit()
        with sqlite3.connect(path) as other:  # e.g. a repair tool
            other.execute("UPDATE sale_lines SET quantity = 3 WHERE sale_id = 's1'")
            other.execute("UPDATE sales SET version = version + 1 WHERE id = 's1'")
        with store.unit_of_work() as uow:
            restored = uow.sales.get("s1")
            assert restored is not None and restored.lines[0].quantity == 3
            restored.add_line(Product("cake", "Чизкейк", rub(250)))
            uow.sales.save(restored)  # not committed
        with store.unit_of_work() as uow:
            again = uow.sales.get("s1")
            assert again is not None and [line.product.id for line in again.lines] == ["latte"]


def test_the_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    """A model changed without a migration (or the reverse) shows up here, not on a till."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from pos_app.db.models import Base

    path = tmp_path / "t.sqlite3"
    open_store(path).close()
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_a_full_disk_mid_transaction_is_a_store_error_and_nothing_is_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "t.sqlite3"
    with open_store(path) as store:
        with store.unit_of_work() as uow:
            uow.products.add(Product("latte", "Латте", rub(180)))
            uow.commit()
            pages = uow.connection.exec_driver_sql("PRAGMA page_count").scalar()
        with pytest.raises(StoreError) as err, store.unit_of_work() as uow:
            # SQLite's own limit stands in for a full disk: the same error path.
            uow.connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
            for i in range(500):
                uow.products.add(Product(f"p{i}", "Товар " + "x" * 200, rub(10)))
            uow.commit()
        assert err.value.path == path
        assert "disk is full" in str(err.value)
        with store.unit_of_work() as uow:
            uow.connection.exec_driver_sql("PRAGMA max_page_count = 1073741823")
            assert uow.products.get("p0") is None
            assert uow.products.get("latte") is not None


def test_a_constraint_violation_is_not_mistaken_for_a_broken_file(tmp_path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    with (
        open_store(tmp_path / "t.sqlite3") as store,
        pytest.raises(IntegrityError),
        store.unit_of_work() as uow,
    ):
        uow.connection.exec_driver_sql("INSERT INTO sale_lines (sale_id) VALUES ('no-such-sale')")
