"""The till's own tables in real SQLite: they survive a restart, and guest search stays fast."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from pos_app.db import open_store
from pos_app.domain.catalog import Product
from pos_app.domain.guests import Guest, name_search_key
from pos_app.domain.money import Percent, rub
from pos_app.domain.sale import OrderDiscount, Sale
from pos_app.services.ports_till import (
    CardSlip,
    CashMovement,
    PromoCodeRecord,
    SalePromo,
    ShiftRecord,
    StaffRecord,
)
from tests.db.conftest import NOW

STAFF = StaffRecord("c1", "Ирина", "cashier", "ab" * 32, "cd" * 16,
                    {"algorithm": "scrypt", "n": 1024, "r": 8, "p": 1})  # fmt: skip
SHIFT = ShiftRecord("sh1", "T1", 1, NOW, "c1", rub(5_000))


def test_till_records_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    with open_store(path, terminal_id="T1") as store, store.unit_of_work() as uow:
        uow.staff.add(STAFF)
        uow.staff.add(StaffRecord("old", "Уволен", "cashier", "00", "00", {}, active=False))
        uow.shifts.save(SHIFT)
        uow.shifts.add_movement(CashMovement("sh1", "out", rub(300), "инкассация", NOW, "c1"))
        uow.shifts.add_card_slip(CardSlip("ref-1", "s1", rub(549), "100001", "000000000001", NOW))
        uow.promo.add_code(PromoCodeRecord("TOPLASER6502", "olga", "+79110000001"))
        uow.promo.set_sale_promo(SalePromo("s1", "TOPLASER6502", "olga", 1500, 1000))
        uow.commit()
    with open_store(path) as store, store.unit_of_work() as uow:
        assert uow.staff.active() == [STAFF] and uow.staff.get("old") is not None
        assert uow.shifts.current("T1") == SHIFT and uow.shifts.last_number("T1") == 1
        [move] = uow.shifts.movements("sh1")
        assert (move.kind, move.amount, move.at) == ("out", rub(300), NOW)
        assert uow.shifts.card_slips(NOW - timedelta(hours=1))[0].rrn == "000000000001"
        assert uow.shifts.card_slips(NOW + timedelta(seconds=1)) == []
        assert uow.promo.by_phone("+79110000001") == uow.promo.of_guest("olga")
        assert uow.promo.code_taken("TOPLASER6502") and not uow.promo.code_taken("TOPLASER1")
        promo = uow.promo.sale_promo("s1")
        assert promo is not None and promo.cashback_bp == 1000
        closed = ShiftRecord("sh1", "T1", 1, NOW, "c1", rub(5_000), NOW, "c1", 1, 2)
        uow.shifts.save(closed)
        assert uow.shifts.current("T1") is None and uow.shifts.get("sh1") == closed


def test_a_sale_keeps_its_promo_discount_across_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    laser = Product("laser", "Лазер", rub(12_500))
    with open_store(path, terminal_id="T1") as store, store.unit_of_work() as uow:
        uow.products.add(laser)
        sale = Sale.open("s1", "T1", NOW)
        sale.add_line(laser)
        sale.set_order_discount(OrderDiscount(Percent.of(15), "promo:TOPLASER6502"))
        uow.sales.add(sale)
        uow.sales.save(sale)
        uow.commit()
    with open_store(path) as store, store.unit_of_work() as uow:
        again = uow.sales.get("s1")
        assert again is not None and again.order_discount is not None
        assert (again.totals.discount, again.total) == (rub(1_875), rub(10_625))
        assert again.order_discount.reason == "promo:TOPLASER6502"


def _bulk_guests(uow: Any, count: int) -> None:
    raw = uow.connection.connection.driver_connection
    raw.executemany(
        "INSERT INTO guests (id, name, search_key, lifetime_spend, emails, skip_registration,"
        " can_order_from_cabinet) VALUES (?, ?, ?, 0, '[]', 0, 1)",
        ((f"g{i}", f"Гость Номер {i}", name_search_key(f"Гость Номер {i}")) for i in range(count)),
    )
    raw.executemany(
        "INSERT INTO guest_phones (guest_id, position, phone) VALUES (?, 0, ?)",
        ((f"g{i}", f"+7912{i:07d}") for i in range(count)),
    )


def test_guest_search_over_50_000_guests_finds_names_and_phones(tmp_path: Path) -> None:
    with open_store(tmp_path / "till.sqlite3") as store, store.unit_of_work() as uow:
        _bulk_guests(uow, 50_000)
        uow.guests.add(Guest("anna", "Анна Ёлкина", ("+79990001122",)))
        uow.commit()
        for text in ("елкина", "0001122", "номер 4999", "ГОСТЬ"):
            assert uow.guest_search.search(text, limit=20), text
        assert [g.id for g in uow.guest_search.search("ёлкина")] == ["anna"]
        ids = {g.id for g in uow.guest_search.search("номер 4999")}
        assert ids == {f"g{i}" for i in (4999, *range(49990, 50000))}  # not "номер 14999"
        assert uow.guest_search.search("гость")[0].name.startswith("Гость")
        # A name typed from its start is an index range, never a scan of every guest (speed
        # itself is measured by `python -m bench till`, not here).
        raw = uow.connection.connection.driver_connection
        plan = " ".join(
            str(row[-1])
            for row in raw.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM guests WHERE search_key >= ? AND search_key < ?"
                " ORDER BY search_key, id LIMIT 20",
                ("гость", "гость\U0010ffff"),
            )
        )
        assert "ix_guests_search_key" in plan and "SCAN guests" not in plan, plan
