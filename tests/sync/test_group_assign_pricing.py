"""A guest put by hand into a group below its threshold is moved at once, so the till that
pulls the feed prices the very next sale at the resulting group (DOMAIN.md "Guest groups",
worked example), against a real ``pos-server run`` process on loopback."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.db import Store, open_store
from pos_app.db.uow import SystemClock
from pos_app.domain.money import rub
from pos_app.services.feed import FeedService
from pos_app.services.sales import SaleService
from pos_app.sync.puller import FeedPuller
from pos_server.db import upgrade
from tests.services.fakes import FakeIds
from tests.sync.faultproxy import ServerProcess, enrol_terminal
from tests.sync.test_puller import push


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    upgrade(url)
    with ServerProcess(url, tmp_path, sweep_interval_seconds=0) as proc:
        yield proc


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "till" / "till.sqlite3") as opened:
        yield opened


def cli(server: ServerProcess, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "pos_server.cli", *args, "--db", server.db_url],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_next_sale_after_a_hand_assignment_is_priced_at_the_resulting_group(
    server: ServerProcess, store: Store, tmp_path: Path
) -> None:
    terminal_id, token = enrol_terminal(server)
    files = {
        "catalogue": {"groups": [{"id": "coffee", "name": "Coffee"}],
                      "products": [{"id": "latte", "name": "Latte", "price": 25000,
                                    "group_id": "coffee"}]},
        "groups": {"groups": [
            {"id": "g5", "name": "Guest 5 %", "discount_bp": 500, "spend_threshold": 50000,
             "auto_move": True},
            {"id": "g10", "name": "Guest 10 %", "discount_bp": 1000, "spend_threshold": 100000,
             "auto_move": True}]},
    }  # fmt: skip
    for what, data in files.items():
        path = tmp_path / f"{what}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        cli(server, what, "import", str(path))
    push(server, token, terminal_id,
         [("guest.created", {"guest_id": "anna", "name": "Anna", "phone": "+79121234567"})])

    assigned = json.loads(cli(server, "groups", "assign", "anna", "g10", "--by", "Oleg"))
    FeedPuller(server.url, token, FeedService(store.unit_of_work, SystemClock())).pull()

    sales = SaleService(store.unit_of_work, SystemClock(), FakeIds("sale"))
    sale_id = sales.open_sale().sale_id
    sales.add_line(sale_id, product_id="latte")
    view = sales.identify_guest(sale_id, phone="+7 912 123-45-67")
    assert view.total == rub(250) - rub(250) * 5 // 100  # 5 %, not the 10 % asked for
    assert (assigned["requested_group"], assigned["group_id"]) == ("g10", "g5")

