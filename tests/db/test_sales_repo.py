"""The sales repository's deferred writes: an opened sale and its basket edits (relaxed units
of work) are kept by the store and written by the sale's next durable write, by
``flush_open_sales`` or on close, with the same commit/rollback rules as any other write."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from pos_app.db import Store, open_store
from pos_app.domain.catalog import Product
from pos_app.domain.money import rub
from pos_app.domain.sale import Sale, SaleStatus

from .conftest import NOW

LATTE = Product("latte", "Латте", rub(180))
TEA = Product("tea", "Чай", rub(180))


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
        assert _rows(path, "s1") == (0, 0)  # a basket edit: kept in memory for now
        assert store.flush_open_sales() == 1
        assert _rows(path, "s1") == (1, 1)
        assert store.flush_open_sales() == 0
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


def _basket(store: Store, *products: Product) -> None:
    with store.unit_of_work(durable=False) as uow:
        uow.sales.add(Sale.open("s1", "T1", NOW))
        uow.commit()
    for product in products:
        with store.unit_of_work(durable=False) as uow:
            sale = uow.sales.get("s1")
            assert sale is not None
            sale.add_line(product)
            uow.sales.save(sale)
            uow.commit()


def test_basket_edits_reach_the_file_with_the_durable_payment(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    with open_store(path) as store:
        _basket(store, LATTE, TEA, LATTE)
        assert _rows(path, "s1") == (0, 0)
        with store.unit_of_work() as uow:
            sale = uow.sales.get("s1")
            assert sale is not None
            sale.pay_cash(rub(1000), NOW)
            sale.close("T1-000001", NOW)
            uow.sales.save(sale)
            uow.commit()
        assert _rows(path, "s1") == (1, 2)
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT status, total FROM sales").fetchone() == ("closed", 54000)


def test_a_failed_payment_keeps_the_basket(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    with open_store(path) as store:
        _basket(store, LATTE, TEA)
        with pytest.raises(RuntimeError), store.unit_of_work() as uow:
            sale = uow.sales.get("s1")
            assert sale is not None
            sale.pay_cash(rub(1000), NOW)
            uow.sales.save(sale)
            raise RuntimeError("the card terminal hung up")  # before the commit
        with store.unit_of_work(durable=False) as uow:
            sale = uow.sales.get("s1")
            assert sale is not None
            assert [line.product.id for line in sale.lines] == ["latte", "tea"]
            assert sale.payments == []
    # closing the store writes what was still in memory
    assert _rows(path, "s1") == (1, 2)
    with open_store(path) as store, store.unit_of_work() as uow:
        reopened = uow.sales.get("s1")
        assert reopened is not None and reopened.total == rub(360)


def test_a_refused_edit_leaves_the_cached_basket_as_it_was(tmp_path: Path) -> None:
    with open_store(tmp_path / "t.sqlite3") as store:
        _basket(store, LATTE)
        with store.unit_of_work(durable=False) as uow:  # edited, never committed
            sale = uow.sales.get("s1")
            assert sale is not None
            sale.add_line(TEA)
            uow.sales.save(sale)
        with store.unit_of_work(durable=False) as uow:
            sale = uow.sales.get("s1")
            assert sale is not None and [ln.product.id for ln in sale.lines] == ["latte"]
