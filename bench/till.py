"""``python -m bench till [--quick] [--guests N]``: the till window's two felt latencies.

* **identify** - a card swipe reaching the till window until the guest panel shows the guest,
  with ``--guests`` (100 000) guests in the local store: the scan router, the op runner's hop to
  its worker, ``GuestService.identify`` (daily limit check, the sale's guest and discount, the
  panel's accounts and limits) and the queued signal back that fills the panel - measured
  in-process on an offscreen window, p50/p99 over random guests. The baseline in the same run
  is the raw indexed SQLite lookup of the same card (identifier -> guest -> accounts) with
  plain ``sqlite3``. ``identify_ratio = till p50 / raw p50``.
* **start** - cold start of the till (a new process through the same ``build_till`` as
  ``pos-app till``, offscreen, the 100 000-guest store) until it is interactive - the window
  shown and the PIN dialog taking keys - vs a new process that shows a bare ``QApplication`` +
  ``QMainWindow``; medians over several runs. ``start_ratio = till / bare``. The store opens
  on the op worker meanwhile (``pos_app.commands.till_app``); ``ready_ms`` / ``ready_ratio``
  say when it is open and the catalogue tiles are drawn.

The last line printed is one JSON object. Targets: identify p99 < 50 ms, start_ratio <= 2.5.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from bench.stats import percentile

CHILD_TILL = """
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pos_app.commands.till_app import TillOptions, build_till
app = QApplication([])
rt = build_till(TillOptions(data_dir=sys.argv[2], lang="ru", printer=None), app)
rt.window.resize(1366, 768); rt.window.show(); rt.window.start()
w, seen = rt.window, {}
def interactive():  # the event loop's first turn with the PIN dialog up: it takes keys now
    assert w.sign_in_dialog is not None and w.sign_in_dialog.isVisible()
    seen["interactive"] = (time.time() - t0) * 1000
def ready():  # polled from Qt's event loop, which leaves the GIL to the op worker meanwhile
    if w.catalogue.visible_products():
        seen["ready"] = (time.time() - t0) * 1000
        app.quit()
QTimer.singleShot(0, interactive)
timer = QTimer(); timer.timeout.connect(ready); timer.start(5)
app.exec()
print(f"{seen['interactive']:.1f} {seen['ready']:.1f}", flush=True)
rt.stop(app)
"""
CHILD_BARE = """
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1366, 768); w.show()
app.processEvents()
ms = (time.time() - t0) * 1000
print(f"{ms:.1f} {ms:.1f}", flush=True)
"""


def card(i: int) -> str:
    return f"55{i:014d}"  # outside the demo cards (7700...)


def seed(directory: Path, guests: int) -> None:
    """A store with the demo shop (catalogue, staff) and ``guests`` guests, each with a card
    and a bonus account; bulk rows, so seeding 100 000 guests takes seconds."""
    from pos_app.commands.demo_data import main as demo_data
    from pos_app.commands.store_factory import open_till_store
    from pos_app.db.models import AccountSnapshot, IdentifierRow
    from pos_app.domain.guests import Guest

    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            demo_data(["--data-dir", str(directory)])
        finally:
            sys.stdout = stdout
    now = datetime.now(UTC)
    store = open_till_store(directory)
    with store, store.unit_of_work() as uow:
        people = [
            Guest(f"bench-{i}", f"Гость {i}", (f"+7900{i:07d}",), group_id="g10" if i % 3 else None)
            for i in range(guests)
        ]
        uow.guests.add_many(people)
        uow.connection.execute(insert(IdentifierRow), [
            {"value": card(i), "medium": "card", "method": "msr", "guest_id": f"bench-{i}"}
            for i in range(guests)
        ])  # fmt: skip
        uow.connection.execute(insert(AccountSnapshot), [
            {"account_id": f"bench-{i}-bonus", "guest_id": f"bench-{i}", "kind": "bonus",
             "total": 100 * (i % 5000), "held": 0, "updated_at": now}
            for i in range(guests)
        ])  # fmt: skip
        uow.commit()


def time_identify(directory: Path, guests: int, rounds: int) -> list[float]:
    """Milliseconds from a swipe reaching the window to the guest panel showing that guest."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QApplication

    from pos_app.commands.store_factory import open_till_store
    from pos_app.commands.till_app import TillOptions, build_till
    from pos_app.ui.key_hook import Reading

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    store = open_till_store(directory)
    options = TillOptions(data_dir=str(directory), lang="en", printer=None)
    runtime = build_till(options, app, store)
    window = runtime.window
    window.show()
    window.start()
    _wait(app, lambda: window.sign_in_dialog is not None)
    assert window.sign_in_dialog is not None
    window.sign_in_dialog.pin.setText("1111")
    window.sign_in_dialog.submit()
    _wait(app, lambda: window.staff is not None)
    rng = random.Random(7)
    samples = []
    loop = QEventLoop()
    wanted: list[str] = []

    def shown(guest: object) -> None:
        if guest is not None and getattr(guest, "guest_id", None) == wanted[-1]:
            loop.quit()

    window.controller.guest_did_change.connect(shown, Qt.ConnectionType.QueuedConnection)
    for _ in range(rounds):
        i = rng.randrange(guests)
        wanted.append(f"bench-{i}")
        start = time.perf_counter()
        window.handle_reading(Reading("msr", card(i), "bench"))
        loop.exec()  # waits in Qt's event loop, as the till does (the GIL is free meanwhile)
        assert window.guest_panel.guest is not None
        assert window.guest_panel.guest.guest_id == wanted[-1]
        samples.append((time.perf_counter() - start) * 1000)
    window.controller.guest_did_change.disconnect(shown)
    runtime.stop(app)
    store.close()
    window.deleteLater()
    app.processEvents()
    return samples


def _wait(app: object, condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the till did not respond")
        app.processEvents()  # type: ignore[attr-defined]


def time_raw(directory: Path, guests: int, rounds: int) -> list[float]:
    """The same lookup with plain sqlite3: the card's guest, their group and accounts."""
    conn = sqlite3.connect(directory / "till.sqlite3")
    rng = random.Random(7)
    samples = []
    for _ in range(rounds):
        value = card(rng.randrange(guests))
        start = time.perf_counter()
        row = conn.execute(
            "SELECT g.id, g.name, g.group_id, gg.name, gg.discount_bp FROM identifiers i "
            "JOIN guests g ON g.id = i.guest_id LEFT JOIN guest_groups gg ON gg.id = g.group_id "
            "WHERE i.value = ?", (value,)).fetchone()  # fmt: skip
        conn.execute("SELECT kind, total, held FROM account_snapshots WHERE guest_id = ?",
                     (row[0],)).fetchall()  # fmt: skip
        samples.append((time.perf_counter() - start) * 1000)
    conn.close()
    return samples


def time_start(child: str, directory: Path, runs: int) -> list[tuple[float, float]]:
    """(interactive, ready) milliseconds from spawning the process, per run."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", child, repr(time.time()), str(directory)],
            capture_output=True, text=True, env=env, timeout=120, check=True,
        )  # fmt: skip
        interactive, ready = done.stdout.strip().splitlines()[-1].split()
        out.append((float(interactive), float(ready)))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench till", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (same store size)")
    parser.add_argument("--guests", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, help="swipes to time (default 1000, quick 200)")
    parser.add_argument("--starts", type=int, help="cold starts of each kind (default 7, quick 3)")
    args = parser.parse_args(argv)
    rounds = args.rounds or (200 if args.quick else 1000)
    starts = args.starts or (3 if args.quick else 7)
    with tempfile.TemporaryDirectory(prefix="bench-till-") as tmp:
        directory = Path(tmp) / "till"
        t0 = time.perf_counter()
        seed(directory, args.guests)
        print(f"seeded {args.guests} guests in {time.perf_counter() - t0:.1f} s")
        till = time_identify(directory, args.guests, rounds)
        raw = time_raw(directory, args.guests, rounds)
        bare = time_start(CHILD_BARE, directory, starts)
        full = time_start(CHILD_TILL, directory, starts)
    figures = {
        "guests": args.guests,
        "identify_p50_ms": round(percentile(till, 50), 3),
        "identify_p99_ms": round(percentile(till, 99), 3),
        "raw_p50_ms": round(percentile(raw, 50), 4),
        "raw_p99_ms": round(percentile(raw, 99), 4),
        "identify_ratio": round(percentile(till, 50) / percentile(raw, 50), 1),
        "start_ms": round(statistics.median(t for t, _ in full), 1),
        "ready_ms": round(statistics.median(r for _, r in full), 1),
        "bare_start_ms": round(statistics.median(t for t, _ in bare), 1),
    }
    figures |= {
        "start_ratio": round(figures["start_ms"] / figures["bare_start_ms"], 2),
        "ready_ratio": round(figures["ready_ms"] / figures["bare_start_ms"], 2),
    }
    print(f"swipe -> guest panel: p50 {figures['identify_p50_ms']} ms, "
          f"p99 {figures['identify_p99_ms']} ms (target p99 < 50 ms)")  # fmt: skip
    print(f"raw indexed sqlite3 lookup: p50 {figures['raw_p50_ms']} ms, "
          f"p99 {figures['raw_p99_ms']} ms; ratio {figures['identify_ratio']}")  # fmt: skip
    print(f"cold start to an interactive till (PIN dialog taking keys) {figures['start_ms']} ms "
          f"vs bare Qt window {figures['bare_start_ms']} ms: ratio {figures['start_ratio']} "
          f"(target <= 2.5); store open and catalogue tiles shown at {figures['ready_ms']} ms "
          f"(ratio {figures['ready_ratio']})")  # fmt: skip
    print(json.dumps(figures))
    return 0
