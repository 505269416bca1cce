"""``python -m bench sync [--quick]``: the sync engine against a real ``pos-server run``.

* **(a) drain** - a till queues ``--ops`` operations while the server is unreachable (sales
  through the till's services, some paid partly with points), then the server comes up and the
  sync worker drains the queue: ``drain_ops_per_s``. The very same operations (read back from
  the server's ``applied_operations``) are then applied **in-process** on a fresh server
  database through the server's pipeline (``check_batch`` + ``apply_batch``, the code behind
  ``POST /v1/ops``, same batch size, same database kind): ``drain_ratio = drain / in-process``
  is the cost of HTTP, JSON and the till's side.
* **(b) first sync** - ``--guests`` guests in the server's feed; a fresh till pulls them with
  the change-feed puller: ``first_sync_s``. Against it: the same guests built as domain objects
  and written to a fresh local store in one bulk transaction (``add_many``):
  ``first_sync_ratio = first_sync_s / bulk_s``.

Both use SQLite for the server (a file in a temp dir). The last printed line is one JSON object.
Targets: drain ratio >= 0.5 and >= 1000 ops/s; first-sync ratio <= 3.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pos_app.db import open_store
from pos_app.db.uow import SystemClock
from pos_app.domain.guests import Guest
from pos_app.services.feed import FeedService
from pos_app.sync.puller import FeedPuller
from pos_server.db import upgrade
from tests.sync.faultproxy import ServerProcess, enrol_terminal, seed_guests


def first_sync(work: Path, guests: int) -> dict[str, float]:
    """(b): pull ``guests`` guests into a fresh store vs one bulk insert of the same rows."""
    url = f"sqlite:///{work / 'feed-server.sqlite3'}"
    upgrade(url)
    with ServerProcess(url, work, max_page=10_000, sweep_interval_seconds=0) as server:
        terminal_id, token = enrol_terminal(server, "bench")
        seed_guests(url, guests, terminal_id)
        with open_store(work / "pulled" / "till.sqlite3") as store:
            feed = FeedService(store.unit_of_work, SystemClock())
            start = time.perf_counter()
            result = FeedPuller(server.url, token, feed, page_size=10_000).pull()
            pulled_s = time.perf_counter() - start
            with store.unit_of_work() as uow:
                assert uow.guests.count() == guests == result.applied, result
        rows = [{"guest_id": f"g{i}", "name": f"Guest {i}", "phone": f"+7912{i % 10_000_000:07d}"}
                for i in range(guests)]  # fmt: skip
    with open_store(work / "bulk" / "till.sqlite3") as store:
        start = time.perf_counter()
        built = [Guest(r["guest_id"], r["name"], (r["phone"],)) for r in rows]
        with store.unit_of_work(durable=False) as uow:
            uow.guests.add_many(built)
            uow.commit()
        bulk_s = time.perf_counter() - start
    return {"first_sync_s": round(pulled_s, 3), "bulk_insert_s": round(bulk_s, 3),
            "first_sync_ratio": round(pulled_s / bulk_s, 3),
            "first_sync_guests_per_s": round(guests / pulled_s)}  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench sync")
    parser.add_argument("--quick", action="store_true", help="a short run (under a minute)")
    parser.add_argument("--ops", type=int, help="operations queued offline (10 000; quick 2 000)")
    parser.add_argument("--guests", type=int, help="guests to pull (100 000; quick 20 000)")
    args = parser.parse_args(argv)
    guests = args.guests or (20_000 if args.quick else 100_000)
    result: dict[str, Any] = {"guests": guests}
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        work = Path(tmp)
        result.update(first_sync(work, guests))
        print(f"first sync: {json.dumps(result)}", file=sys.stderr)
    print(json.dumps(result))
    return 0
