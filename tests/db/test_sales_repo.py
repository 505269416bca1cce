"""The sales repository's lazy first write: an opened, still empty sale is kept by the store
and written by its first change, with the same commit/rollback rules as any other write."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from pos_app.db import open_store
from pos_app.domain.catalog import Product
from pos_app.domain.money import rub
from pos_app.domain.sale import Sale, SaleStatus

from .conftest import NOW

LATTE = Product("latte", "Латте", rub(180))


def _rows(path: Path, sale_id: str) -> tuple[int, int]:
    with closing(sqlite3.connect(path)) as conn:
        (sales,) = conn.execute("SELECT count(*) FROM sales WHERE id = ?", (sale_id,)).fetchone()
        (lines,) = conn.execute(
            "SELECT count(*) FROM sale_lines WHERE sale_id = ?", (sale_id,)
        ).fetchone()
    return sales, lines


def test_an_empty_sale_is_written_by_its_first_change(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    with open_store(path) as store:
        with store.unit_of_work(durable=False) as uow:
            uow.sales.add(Sale.open("s1", "T1", NOW))
            uow.commit()
        assert _rows(path, "s1") == (0, 0)
        with store.unit_of_work(durable=False) as uow:  # an edit that is not kept
            sale = uow.sales.get("s1")
            assert sale is not None and sale.opened_at == NOW
            sale.add_line(LATTE)
            uow.sales.save(sale)
        assert _rows(path, "s1") == (0, 0)
        with store.unit_of_work(durable=False) as uow:  # the sale is still there, still empty
            sale = uow.sales.get("s1")
            assert sale is not None and sale.lines == ()
            sale.add_line(LATTE)
            uow.sales.save(sale)
            uow.commit()
        assert _rows(path, "s1") == (1, 1)
        with store.unit_of_work() as uow:
            again = uow.sales.get("s1")
            assert again is not None and again.status is SaleStatus.OPEN
            assert [line.product.id for line in again.lines] == ["latte"]


def test_an_empty_sale_not_committed_is_not_kept(tmp_path: Path) -> None:
    with open_store(tmp_path / "t.sqlite3") as store:
        with store.unit_of_work(durable=False) as uow:
            uow.sales.add(Sale.open("s1", "T1", NOW))
            assert uow.sales.get("s1") is not None  # visible inside its unit of work
        with store.unit_of_work() as uow:
            assert uow.sales.get("s1") is None


def test_a_cancelled_empty_sale_is_written(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    with open_store(path) as store:
        with store.unit_of_work(durable=False) as uow:
            uow.sales.add(Sale.open("s1", "T1", NOW))
            uow.commit()
        with store.unit_of_work() as uow:
            sale = uow.sales.get("s1")
            assert sale is not None
            sale.cancel(NOW)
            uow.sales.save(sale)
            uow.commit()
        assert _rows(path, "s1") == (1, 0)
        with store.unit_of_work() as uow:
            again = uow.sales.get("s1")
            assert again is not None and again.status is SaleStatus.CANCELLED
