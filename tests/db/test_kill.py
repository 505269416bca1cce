"""Durability: a sale the till reported as closed survives a SIGKILL at any moment.

A real child process sells through the till's services on a real store and prints each
receipt only after ``PaymentService.pay_cash`` (which closes the sale) returned; the parent
kills it mid-stream, reopens the file and finds every printed sale closed, with its
``sale.closed`` operation, and the outbox ``seq`` gap-free.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from pos_app.db import open_store

SELLER = """
import sys
from pos_app.db import open_store
from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.domain.catalog import Product
from pos_app.services.till import TillServices

store = open_store(sys.argv[1], terminal_id="T1")
with store.unit_of_work() as uow:
    uow.products.add_group("coffee", "Кофе")
    uow.products.add(Product("latte", "Латте", 18_000, "coffee"))
    uow.commit()
till = TillServices.build(store.unit_of_work, SystemClock(), UuidGenerator())
while True:
    sale = till.sales.open_sale()
    till.sales.add_line(sale.sale_id, product_id="latte", quantity=2)
    paid = till.payments.pay_cash(sale.sale_id, 50_000)
    print(paid.sale.sale_id, paid.sale.receipt_no, flush=True)
"""


def test_every_reported_sale_survives_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", SELLER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    reported = [child.stdout.readline().split() for _ in range(25)]
    os.kill(child.pid, signal.SIGKILL)  # mid-sale: it keeps selling while we read
    child.wait(timeout=30)
    reported += [line.split() for line in child.stdout.read().splitlines() if line.strip()]
    assert child.returncode == -signal.SIGKILL

    with closing(sqlite3.connect(path)) as conn:
        closed = dict(conn.execute("SELECT id, receipt_no FROM sales WHERE status = 'closed'"))
        ops = conn.execute("SELECT seq, kind, payload FROM outbox ORDER BY seq").fetchall()
    for sale_id, receipt_no in reported:
        assert closed[sale_id] == receipt_no
    assert [seq for seq, _, _ in ops] == list(range(1, len(ops) + 1))
    by_sale = {json.loads(payload)["sale_id"]: kind for _, kind, payload in ops}
    assert set(by_sale) == set(closed)  # each closed sale has its operation, nothing more
    assert set(by_sale.values()) == {"sale.closed"}
    numbers = sorted(int(receipt.split("-")[1]) for receipt in closed.values())
    assert numbers == list(range(1, len(numbers) + 1))
    open_store(path).close()  # and the store opens cleanly after the crash
