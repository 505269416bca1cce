"""``python -m bench store [--quick] [--sales N]``: sales through the services vs raw sqlite3.

Both sides run in one temp dir with the same durability: WAL, ``synchronous=FULL``.

* **services** - a cashier's flow through the till's services, built as the till builds them
  (``commands.composition.till_services``), on the real SQLite store: open a sale, scan three
  products (by barcode), identify the guest by card (group discount), take cash with
  ``PaymentService.pay_cash`` - the till's cash key - which closes the sale through
  ``sale_closing.close_sale`` (holds, offline mark, loyalty override, ``sale.closed``, the promo
  step - no code on these sales, so it only looks - and the accrual estimate). Each step is its own
  unit of work, as at the till.
* **raw** - the rows that flow leaves behind (the sale with its guest/group snapshot and totals,
  three lines, one payment, the ``sale.closed`` outbox row, the terminal counters), written
  with plain ``sqlite3`` in **one transaction per sale**; the raw side builds the rows from
  the services' results and writes them.

``ratio = sales_per_s / raw_per_s`` is the cost of the layers (domain, unit of work,
repositories, several transactions per sale). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
import uuid
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pos_app.commands.composition import till_services
from pos_app.db import Store, open_store
from pos_app.domain.catalog import Product
from pos_app.domain.groups import GuestGroup
from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import Identifier, InputMethod, Medium
from pos_app.domain.money import Percent, rub
from pos_app.domain.operations import SALE_CLOSED
from pos_app.services.operations import sale_closed

CARD = "7000123412341234"
BASKETS = [("4600000000001", "4600000000002", "4600000000003"),
           ("4600000000004", "4600000000001", "4600000000005")]


def seed(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.products.add_group("bar", "Бар")
        for i in range(1, 61):
            uow.products.add(
                Product(f"p{i}", f"Товар {i}", rub(50 + 10 * i), "bar", barcode=f"46{i:011d}")
            )
        uow.groups.add(GuestGroup("g10", "Гости 10 %", Percent.of(10), rub(1_000)))
        uow.guests.add(Guest("guest-1", "Анна Смирнова", ("+79121234567",), group_id="g10"))
        uow.guests.add_identifier(Identifier(Medium.CARD, InputMethod.MSR, CARD), "guest-1")
        uow.commit()


def run_services(store: Store, sales: int) -> tuple[float, list[dict[str, Any]]]:
    """Returns the elapsed time and the ``sale.closed`` payloads (for the raw side)."""
    till = till_services(store)
    closed = []
    start = time.perf_counter()
    for n in range(sales):
        sale_id = till.sales.open_sale().sale_id
        for code in BASKETS[n % 2]:
            till.sales.add_line(sale_id, barcode=code)
        till.sales.identify_guest(sale_id, identifier=f";{CARD}=2512?", method=InputMethod.MSR)
        result = till.payments.pay_cash(sale_id, rub(5_000))  # covers the basket: closes it
        assert result.closed and result.accrual_estimate > 0, result
        closed.append(sale_id)
    elapsed = time.perf_counter() - start
    with store.unit_of_work() as uow:
        payloads = [sale_closed(s).to_json() for i in closed if (s := uow.sales.get(i))]
    return elapsed, payloads


_SALE_SQL = (
    "INSERT INTO sales (id, terminal_id, status, opened_at, ended_at, receipt_no, next_line_no,"
    " guest_id, guest_name, identified_by, group_id, group_name, discount_bp, discount_scope,"
    " subtotal, discount, total, paid, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
_LINE_SQL = (
    "INSERT INTO sale_lines (sale_id, line_no, product_id, product_name, product_group_id, tags,"
    " barcode, payable_with_points, unit_price, quantity, discount, total)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
)
_PAY_SQL = (
    "INSERT INTO payments (sale_id, position, method, amount, tendered, change, at)"
    " VALUES (?,?,?,?,?,?,?)"
)
_OUTBOX_SQL = (
    "INSERT INTO outbox (op_id, terminal_id, seq, created_at, kind, payload, status, attempts)"
    " VALUES (?,?,?,?,?,?,'pending',0)"
)


def _raw_rows(p: dict[str, Any]) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], tuple[Any, ...]]:
    sale_id = "raw-" + p["sale_id"]
    group, totals, pay = p["group"], p["totals"], p["payments"][0]
    scope = json.dumps(group["scope"], sort_keys=True, separators=(",", ":"))
    sale = (sale_id, "RAW", "closed", p["opened_at"], p["closed_at"], "R" + p["receipt_no"], 4,
            p["guest"]["guest_id"], p["guest"]["name"], "msr", group["group_id"], group["name"],
            group["discount_bp"], scope, totals["subtotal"], totals["discount"], totals["total"],
            totals["paid"], 7)
    lines = [(sale_id, ln["line_no"], ln["product_id"], ln["name"], ln["product_group_id"], "[]",
              None, 1, ln["unit_price"], ln["quantity"], ln["discount"], ln["total"])
             for ln in p["lines"]]
    payment = (sale_id, 1, "cash", pay["amount"], pay["tendered"], pay["change"], pay["at"])
    return sale, lines, payment


def run_raw(path: Path, payloads: list[dict[str, Any]]) -> float:
    """The same rows, one transaction per sale, plain sqlite3 at the same durability."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        now = datetime.now(UTC).isoformat()
        start = time.perf_counter()
        for p in payloads:
            (sale, lines, payment), payload = _raw_rows(p), json.dumps(p, ensure_ascii=False)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE terminal_state SET next_receipt_no = next_receipt_no + 1")
            conn.execute(_SALE_SQL, sale)
            conn.executemany(_LINE_SQL, lines)
            conn.execute(_PAY_SQL, payment)
            (seq,) = conn.execute(
                "UPDATE terminal_state SET next_seq = next_seq + 1 RETURNING next_seq - 1"
            ).fetchone()
            conn.execute(_OUTBOX_SQL, (str(uuid.uuid4()), "RAW", seq, now, SALE_CLOSED, payload))
            conn.execute("COMMIT")
        return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench store")
    parser.add_argument("--quick", action="store_true", help="a short run (under 30 s)")
    parser.add_argument("--sales", type=int, help="number of sales (default 300, quick 100)")
    args = parser.parse_args(argv)
    sales = args.sales or (100 if args.quick else 300)
    rounds = max(1, min(10, sales))
    services_s = raw_s = 0.0
    round_ratios = []
    with tempfile.TemporaryDirectory(prefix="pos-bench-") as tmp:
        path = Path(tmp) / "bench.sqlite3"
        store = open_store(path, terminal_id="BENCH", receipt_prefix="B1")
        try:
            seed(store)
            run_services(store, min(10, sales))  # warm-up: imports, caches, statement cache
            # Rounds alternate the two sides so that a busy machine slows both alike.
            for r in range(rounds):
                chunk = sales // rounds + (1 if r < sales % rounds else 0)
                elapsed, payloads = run_services(store, chunk)
                raw_elapsed = run_raw(path, payloads)
                services_s += elapsed
                raw_s += raw_elapsed
                round_ratios.append(raw_elapsed / elapsed)
        finally:
            store.close()
    sales_per_s = sales / services_s
    raw_per_s = sales / raw_s
    ratio = sales_per_s / raw_per_s
    print(f"{'path':<10}{'sales':>8}{'seconds':>10}{'sales/s':>10}{'ms/sale':>10}")
    for name, secs in (("services", services_s), ("raw", raw_s)):
        print(f"{name:<10}{sales:>8}{secs:>10.3f}{sales / secs:>10.1f}{1000 * secs / sales:>10.2f}")
    median = statistics.median(round_ratios)
    print(f"ratio services/raw = {ratio:.2f} (target >= 0.3), median of {rounds} rounds "
          f"{median:.2f}")  # fmt: skip
    print(json.dumps({"sales": sales, "sales_per_s": round(sales_per_s, 1),
                      "raw_per_s": round(raw_per_s, 1), "ratio": round(ratio, 3),
                      "ratio_median_round": round(median, 3),
                      "synchronous": "FULL", "journal_mode": "WAL"}))
    return 0
