"""The server recomputes every closed sale with the domain's pricing and keeps each difference as
a reconciliation item, never a refusal (issue 15 point 5), against a real ``pos-server run``.

Tills sell through their real services with what they pulled; the server's catalogue or the
guest's group then moves on before the till pulls again. ``pos-server reconciliation list``
shows what a manager sees.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pos_app.commands.sync_runtime import SyncRuntime
from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.services.guests import GuestService
from pos_server.db import upgrade
from tests.sync.conftest import MakeTill, server_ops
from tests.sync.faultproxy import ServerProcess

LATTE, COOKIE = 25_000, 9_000


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of its own per test: each test changes the catalogue and the groups."""
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    upgrade(url)
    with ServerProcess(url, tmp_path, sweep_interval_seconds=0) as process:
        yield process


def cli(server: ServerProcess, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "pos_server.cli", *args, "--db", server.db_url],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def load(server: ServerProcess, tmp_path: Path, what: str, data: dict[str, Any]) -> None:
    path = tmp_path / f"{what}-{uuid.uuid4().hex[:6]}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    cli(server, what, "import", str(path))


def catalogue(latte: int = LATTE) -> dict[str, Any]:
    return {"groups": [{"id": "coffee", "name": "Coffee"}],
            "products": [{"id": "latte", "name": "Latte", "price": latte, "group_id": "coffee"},
                         {"id": "cookie", "name": "Cookie", "price": COOKIE,
                          "group_id": "coffee"}]}  # fmt: skip


GROUPS = {"groups": [
    {"id": "g5", "name": "Guest 5 %", "discount_bp": 500},
    {"id": "g10", "name": "Guest 10 %", "discount_bp": 1000},
]}  # fmt: skip


def items(server: ServerProcess, *extra: str) -> list[dict[str, Any]]:
    out = cli(server, "reconciliation", "list", *extra)
    return [json.loads(line) for line in out.splitlines()]


def ready_till(make_till: MakeTill, server: ServerProcess, tmp_path: Path) -> SyncRuntime:
    load(server, tmp_path, "catalogue", catalogue())
    load(server, tmp_path, "groups", GROUPS)
    till = make_till()
    till.puller.pull()  # the catalogue and the groups, as the server has them now
    return till


def sell(till: SyncRuntime, *products: str, phone: str | None = None) -> str:
    sale_id = till.sales.open_sale().sale_id
    for product in products:
        till.sales.add_line(sale_id, product_id=product)
    if phone:
        till.sales.identify_guest(sale_id, phone=phone)
    till.payments.pay_cash(sale_id, till.sales.get_sale(sale_id).due)
    return sale_id


def test_a_sale_priced_as_the_server_would_leaves_no_item(
    make_till: MakeTill, server: ServerProcess, tmp_path: Path
) -> None:
    till = ready_till(make_till, server, tmp_path)
    sell(till, "latte", "cookie")
    till.worker.drain_once()
    assert [v for _, k, v, _ in server_ops(server.db_url, till.queue.terminal_id())] == [
        "applied"]
    assert items(server) == []


def test_a_till_with_a_stale_price_is_applied_and_its_sale_flagged(
    make_till: MakeTill, server: ServerProcess, tmp_path: Path
) -> None:
    """Given the latte went up to 270 ₽ on the server, when a till that has not pulled since
    sells it at 250 ₽, then the sale stands (the guest paid 250 ₽) and a manager sees it."""
    till = ready_till(make_till, server, tmp_path)
    load(server, tmp_path, "catalogue", catalogue(latte=27_000))
    sale_id = sell(till, "latte", "latte", "cookie")
    till.worker.drain_once()
    assert [v for _, _, v, _ in server_ops(server.db_url, till.queue.terminal_id())] == [
        "applied"]
    [item] = items(server)
    assert (item["kind"], item["sale_id"], item["amount"]) == ("stale_price", sale_id, -4_000)
    assert item["details"]["till"] == LATTE and item["details"]["server"] == 27_000
    assert item["terminal_id"] == till.queue.terminal_id()


def test_a_till_whose_price_is_not_its_catalogues_is_flagged_as_a_price_difference(
    make_till: MakeTill, server: ServerProcess, tmp_path: Path
) -> None:
    """Given a till whose store says 200 ₽ for the latte though no catalogue it pulled did."""
    till = ready_till(make_till, server, tmp_path)
    with till.store.unit_of_work() as uow:  # the till's own store changed behind the feed
        latte = uow.products.get("latte")
        assert latte is not None
        uow.products.add(replace(latte, price=20_000))
        uow.commit()
    sell(till, "latte")
    till.worker.drain_once()
    [item] = items(server)
    assert (item["kind"], item["amount"]) == ("price_differs", 20_000 - LATTE)
    assert item["details"]["catalogue_version"] > 0


def test_a_till_with_a_stale_group_is_applied_and_its_sale_flagged(
    make_till: MakeTill, server: ServerProcess, tmp_path: Path
) -> None:
    """Given Anna is in the 5 % group at the till, when a manager moves her into 10 % on the
    server and the till sells to her before it pulls, then the sale stands at 5 % and the item
    says what 10 % would have charged."""
    till = ready_till(make_till, server, tmp_path)
    guests = GuestService(till.store.unit_of_work, SystemClock(), UuidGenerator())
    anna = guests.create_guest("Anna", phone="+79121234567").guest_id
    till.worker.drain_once()
    cli(server, "groups", "assign", anna, "g5", "--by", "Oleg")
    till.puller.pull()  # the till knows her as a 5 % guest
    cli(server, "groups", "assign", anna, "g10", "--by", "Oleg")

    sale_id = sell(till, "latte", phone="+79121234567")
    till.worker.drain_once()
    verdicts = [(k, v) for _, k, v, _ in server_ops(server.db_url, till.queue.terminal_id())]
    assert verdicts[-1] == ("sale.closed", "applied")
    [item] = items(server)
    till_total = LATTE - LATTE * 5 // 100
    server_total = LATTE - LATTE * 10 // 100
    assert (item["kind"], item["sale_id"]) == ("group_differs", sale_id)
    assert item["amount"] == till_total - server_total == 1_250
    assert item["details"]["till"]["group_id"] == "g5"
    assert item["details"]["server"]["group_id"] == "g10"


def test_items_are_resolved_by_a_manager_and_leave_the_open_list(
    make_till: MakeTill, server: ServerProcess, tmp_path: Path
) -> None:
    till = ready_till(make_till, server, tmp_path)
    load(server, tmp_path, "catalogue", catalogue(latte=26_000))
    sell(till, "latte")
    till.worker.drain_once()
    [item] = items(server)
    resolved = json.loads(cli(server, "reconciliation", "resolve", str(item["id"]),
                              "--by", "Oleg"))  # fmt: skip
    assert resolved["resolved_by"] == "Oleg" and resolved["resolved_at"]
    assert items(server) == []
    assert [i["id"] for i in items(server, "--all")] == [item["id"]]
    again = subprocess.run([sys.executable, "-m", "pos_server.cli", "reconciliation", "resolve",
                            str(item["id"]), "--db", server.db_url],
                           capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert again.returncode == 1 and "no open reconciliation item" in again.stderr
