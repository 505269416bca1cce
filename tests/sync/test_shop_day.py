"""The shop's day has one source (issue 15, point 6b), through a real ``pos-server run``.

A guest whose group allows one identification a day is identified at 23:30 and at 00:30 on the
shop's clock (Moscow, the default of both sides): the till counts the 00:30 sale on the new day
and so does the server, which applies it; at 01:00 the till refuses, as the server would. When
the server was on UTC and the till on +180 minutes, the till allowed the 00:30 sale and the
server rejected it (``daily_limit``). The zone the server is set to reaches the till through the
feed; the module's server runs on the default, a second one on Europe/Berlin.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pos_app.commands.demo_data import fill_catalogue
from pos_app.db.uow import UuidGenerator
from pos_app.domain.identifiers import InputMethod
from pos_app.domain.limits import DailyIdentificationLimitReached
from pos_app.domain.venue_clock import DEFAULT_SHOP_TIMEZONE
from pos_app.services.guests import GuestService
from pos_app.services.payments import PaymentService
from pos_app.services.sales import SaleService
from pos_app.services.venue_time import VenueTime
from tests.sync.conftest import MakeTill, server_ops
from tests.sync.faultproxy import ServerProcess, enrol_terminal


class At:
    """The till's clock, set by the test."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def now(self) -> datetime:
        return self.at


def cli(db_url: str, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pos_server.cli", *args, "--db", db_url],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_a_guest_identified_either_side_of_the_shops_midnight_counts_alike_at_till_and_server(
    make_till: MakeTill, server: ServerProcess, tmp_path: Path
) -> None:
    till = make_till()
    suffix = uuid.uuid4().hex[:8]
    card = f"7701{int(suffix, 16) % 10**12:012d}"
    with till.store.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.commit()
    clock, ids = At(), UuidGenerator()
    guests = GuestService(till.store.unit_of_work, clock, ids)
    anna = guests.create_guest(f"Anna {suffix}", identifier=card).guest_id
    till.worker.drain_once()
    groups = tmp_path / "groups.json"
    groups.write_text(json.dumps({"groups": [
        {"id": f"once-{suffix}", "name": "Once a day", "discount_bp": 0,
         "daily_identification_limit": 1}]}))
    cli(server.db_url, "groups", "import", str(groups))
    cli(server.db_url, "groups", "assign", anna, f"once-{suffix}")
    till.puller.pull()
    assert VenueTime(till.store.unit_of_work).zone() == ZoneInfo(DEFAULT_SHOP_TIMEZONE)
    sales = SaleService(till.store.unit_of_work, clock, ids)
    payments = PaymentService(till.store.unit_of_work, clock, ids, sales)

    def visit(utc_hour: int, utc_minute: int) -> None:
        clock.at = datetime(2026, 11, 23, utc_hour, utc_minute, tzinfo=UTC)
        sale_id = sales.open_sale().sale_id
        sales.add_line(sale_id, product_id="latte")
        guests.identify(sales, sale_id, identifier=card, method=InputMethod.MANUAL)
        payments.pay_cash(sale_id, sales.get_sale(sale_id).due)

    visit(20, 30)  # 23:30 in Moscow
    visit(21, 30)  # 00:30: a new business day at the till ...
    till.worker.drain_once()
    sold = [(kind, verdict, reason) for _, kind, verdict, reason
            in server_ops(server.db_url, till.queue.terminal_id()) if kind == "sale.closed"]
    assert sold == [("sale.closed", "applied", None)] * 2  # ... and at the server
    with pytest.raises(DailyIdentificationLimitReached):
        visit(22, 0)  # 01:00: the same new day, its one identification used


def test_the_servers_zone_reaches_the_till_through_the_feed(tmp_path: Path) -> None:
    from pos_app.db import open_store
    from pos_app.db.uow import SystemClock
    from pos_app.services.feed import FeedService
    from pos_app.sync.puller import FeedPuller
    from pos_server.db import upgrade

    url = f"sqlite:///{tmp_path / 'berlin.sqlite3'}"
    upgrade(url)
    with ServerProcess(url, tmp_path, sweep_interval_seconds=0,
                       shop_timezone="Europe/Berlin") as berlin:  # fmt: skip
        _, token = enrol_terminal(berlin)
        with open_store(tmp_path / "till" / "till.sqlite3") as store:
            venue = VenueTime(store.unit_of_work)
            assert venue.zone() == ZoneInfo(DEFAULT_SHOP_TIMEZONE)  # until the feed says
            result = FeedPuller(berlin.url, token,
                                FeedService(store.unit_of_work, SystemClock())).pull()
            assert venue.zone() == ZoneInfo("Europe/Berlin")
            assert result.skipped_total == 0
