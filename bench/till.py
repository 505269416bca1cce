"""``python -m bench till [--quick] [--guests N]``: the till window's two felt latencies.

* **identify** - a card swipe reaching the till window until the guest panel shows the guest,
  with ``--guests`` (100 000) guests in the local store: the scan router, the op runner's hop to
  its worker, ``GuestService.identify`` (daily limit check, the sale's guest and discount, the
  panel's accounts and limits) and the queued signal back that fills the panel - measured
  in-process on an offscreen window, p50/p99 over random guests. The baseline in the same run
  is the raw indexed SQLite lookup of the same card (identifier -> guest -> accounts) with
  plain ``sqlite3``. ``identify_ratio = till p50 / raw p50``.
* **scan** - a keyboard-wedge scan (13 digits and Enter as key events through the real key
  hook and decoder) of a product until its line is in the basket, selected and drawn, with
  ``BASKET_LINES`` (50) lines already in the basket (and the guest of the last swipe, so the
  group discount is recomputed too): the scan router, the op runner, ``SaleService.add_line``
  on a 51-line sale and the basket redrawn. The line is removed (untimed) before the next
  round, so every round scans into 50 lines. p50/p99 over ``--scans`` rounds.
* **start** - cold start of the till (a new process through the same ``build_till`` as
  ``pos-app till``, offscreen, the 100 000-guest store) until it is interactive - the window
  shown and the PIN dialog taking keys - vs a new process that shows a bare ``QApplication`` +
  ``QMainWindow``; medians over several runs. ``start_ratio = till / bare``. The store opens
  on the op worker meanwhile (``pos_app.commands.till_app``); ``ready_ms`` / ``ready_ratio``
  say when it is open and the catalogue tiles are drawn.

* **card** - the guest card of a guest with 5 000 postings opened until its History tab shows
  the first page, through a real server (``bench/guest_card.py``); p50/p99 over ``--cards``.

The last line printed is one JSON object. Targets: identify p99 < 50 ms, scan p99 < 50 ms,
start_ratio <= 2.5, card history p99 < 200 ms.
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

from bench.guest_card import POSTINGS, time_card_open
from bench.stats import percentile

BASKET_LINES = 50

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


def product_code(i: int) -> str:
    from pos_app.commands.demo_data_catalog import ean13

    return ean13(f"299{i:09d}")  # outside the demo catalogue's codes (460...)


def seed(directory: Path, guests: int) -> None:
    """A store with the demo shop (catalogue, staff), ``guests`` guests, each with a card
    and a bonus account, and enough products for a 50-line basket; bulk rows, so seeding
    100 000 guests takes seconds."""
    from pos_app.commands.demo_data import main as demo_data
    from pos_app.commands.store_factory import open_till_store
    from pos_app.db.models import AccountSnapshot, IdentifierRow
    from pos_app.domain.catalog import Product
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
        uow.products.add_group("bench", "Бенчмарк", 99)
        for i in range(BASKET_LINES + 1):
            uow.products.add(Product(f"bench-p{i}", f"Товар {i}", 100_00 + i * 10, "bench",
                                     barcode=product_code(i)))  # fmt: skip
        uow.commit()


def time_identify(
    directory: Path, guests: int, rounds: int, scans: int
) -> tuple[list[float], list[float]]:
    """Milliseconds from a swipe reaching the window to the guest panel showing that guest;
    then from a scan's keys to its line drawn in a 50-line basket (``time_scans``)."""
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
    _open_shift(app, window)  # else the shift dialog is in front, and scans are held
    rng = random.Random(7)
    samples = []
    loop = QEventLoop()
    wanted: list[str] = []

    def shown(changes: object, session: object) -> None:
        guest = getattr(session, "guest", None)
        if getattr(changes, "guest", False) and getattr(guest, "guest_id", None) == wanted[-1]:
            loop.quit()

    done = window.controller.operation_did_execute
    done.connect(shown, Qt.ConnectionType.QueuedConnection)
    for _ in range(rounds):
        i = rng.randrange(guests)
        wanted.append(f"bench-{i}")
        start = time.perf_counter()
        window.handle_reading(Reading("msr", card(i), "bench"))
        loop.exec()  # waits in Qt's event loop, as the till does (the GIL is free meanwhile)
        assert window.guest_panel.guest is not None
        assert window.guest_panel.guest.guest_id == wanted[-1]
        samples.append((time.perf_counter() - start) * 1000)
    done.disconnect(shown)
    scanned = time_scans(app, window, scans)
    runtime.stop(app)
    store.close()
    window.deleteLater()
    app.processEvents()
    return samples, scanned


def _open_shift(app: object, window: object) -> None:
    """As the cashier does at the start of the day: the shift dialog, the drawer counted."""
    from pos_app.ui.main_window import TillWindow

    assert isinstance(window, TillWindow)
    _wait(app, lambda: window.shift.dialog is not None and window.shift.dialog.isVisible())
    dialog = window.shift.dialog
    assert dialog is not None
    dialog.cash.setText("0")
    dialog.open_button.click()
    _wait(app, lambda: dialog.shift is not None)
    dialog.accept()


def time_scans(app: object, window: object, rounds: int) -> list[float]:
    """Milliseconds from a wedge scan's first key reaching the window until the scanned
    product's line is in the basket, selected, scrolled into view and painted, with 50 lines
    there before."""
    from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from pos_app.ui.main_window import TillWindow

    assert isinstance(window, TillWindow)
    basket, stamp = window.basket, [10_000_000]
    loop = QEventLoop()
    ready: list[Callable[[], bool]] = [lambda: False]
    wanted = [0]  # the number of lines being waited for

    def scan(code: str) -> None:  # the scanner's keys, 4 ms apart by their timestamps
        stamp[0] += 100_000
        for i, char in enumerate(code + "\r"):
            key = Qt.Key.Key_Return if char == "\r" else ord(char)
            event = QKeyEvent(QEvent.Type.KeyPress, int(key), Qt.KeyboardModifier.NoModifier,
                              char)  # fmt: skip
            event.setTimestamp(stamp[0] + 4 * i)
            QApplication.sendEvent(window.catalogue.search, event)

    def changed(*_op: object) -> None:  # queued: after the basket has redrawn
        if ready[0]():
            basket.table.viewport().repaint()  # drawn, not only laid out
            loop.quit()
        elif loop.isRunning() and len(basket.lines) == wanted[0]:
            QTimer.singleShot(1, changed)  # drawn in, not scrolled into view yet: look again

    def wait_for(condition: Callable[[], bool]) -> None:
        ready[0] = condition
        if not condition():
            loop.exec()

    def lines_are(count: int, last: str | None = None) -> Callable[[], bool]:
        wanted[0] = count

        def check() -> bool:
            lines = basket.lines
            if len(lines) != count or (last is not None and _selected_name(basket) != last):
                return False
            table = basket.table  # and the selected line is in view
            rows = table.selectionModel().selectedRows()
            return bool(rows) and table.viewport().rect().intersects(table.visualRect(rows[0]))

        return check

    window.controller.operation_did_execute.connect(changed, Qt.ConnectionType.QueuedConnection)
    start_lines = len(basket.lines)
    for i in range(BASKET_LINES):
        scan(product_code(i))
        wait_for(lines_are(start_lines + i + 1))
    full = len(basket.lines)
    extra, name = product_code(BASKET_LINES), f"Товар {BASKET_LINES}"
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        scan(extra)
        wait_for(lines_are(full + 1, name))
        samples.append((time.perf_counter() - start) * 1000)
        line_no = basket.selected_line()
        assert line_no is not None
        window.controller.remove_line(line_no)
        wait_for(lines_are(full))
    window.controller.operation_did_execute.disconnect(changed)
    return samples


def _selected_name(basket: object) -> str | None:
    line_no = basket.selected_line()  # type: ignore[attr-defined]
    lines = basket.lines  # type: ignore[attr-defined]
    return next((x.name for x in lines if x.line_no == line_no), None)


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
    parser.add_argument("--scans", type=int, help="scans into a 50-line basket to time "
                        "(default 1000, quick 200)")  # fmt: skip
    parser.add_argument("--cards", type=int, help="guest cards opened to their first history "
                        "page (default 300, quick 100)")  # fmt: skip
    args = parser.parse_args(argv)
    rounds = args.rounds or (200 if args.quick else 1000)
    scans = args.scans or (200 if args.quick else 1000)
    starts = args.starts or (3 if args.quick else 7)
    with tempfile.TemporaryDirectory(prefix="bench-till-") as tmp:
        directory = Path(tmp) / "till"
        t0 = time.perf_counter()
        seed(directory, args.guests)
        print(f"seeded {args.guests} guests in {time.perf_counter() - t0:.1f} s")
        till, scanned = time_identify(directory, args.guests, rounds, scans)
        raw = time_raw(directory, args.guests, rounds)
        bare = time_start(CHILD_BARE, directory, starts)
        full = time_start(CHILD_TILL, directory, starts)
        card_dir = Path(tmp) / "card"
        card_dir.mkdir()
        opened = time_card_open(card_dir, args.cards or (100 if args.quick else 300))
    figures = {
        "guests": args.guests,
        "identify_p50_ms": round(percentile(till, 50), 3),
        "identify_p99_ms": round(percentile(till, 99), 3),
        "raw_p50_ms": round(percentile(raw, 50), 4),
        "raw_p99_ms": round(percentile(raw, 99), 4),
        "identify_ratio": round(percentile(till, 50) / percentile(raw, 50), 1),
        "basket_lines": BASKET_LINES,
        "scan_line_p50_ms": round(percentile(scanned, 50), 3),
        "scan_line_p99_ms": round(percentile(scanned, 99), 3),
        "start_ms": round(statistics.median(t for t, _ in full), 1),
        "ready_ms": round(statistics.median(r for _, r in full), 1),
        "bare_start_ms": round(statistics.median(t for t, _ in bare), 1),
        "card_postings": POSTINGS,
        "card_history_p50_ms": round(percentile(opened, 50), 1),
        "card_history_p99_ms": round(percentile(opened, 99), 1),
    }
    figures |= {
        "start_ratio": round(figures["start_ms"] / figures["bare_start_ms"], 2),
        "ready_ratio": round(figures["ready_ms"] / figures["bare_start_ms"], 2),
    }
    print(f"swipe -> guest panel: p50 {figures['identify_p50_ms']} ms, "
          f"p99 {figures['identify_p99_ms']} ms (target p99 < 50 ms)")  # fmt: skip
    print(f"scan -> its line drawn in a {BASKET_LINES}-line basket: p50 "
          f"{figures['scan_line_p50_ms']} ms, p99 {figures['scan_line_p99_ms']} ms "
          f"(target p99 < 50 ms)")  # fmt: skip
    print(f"raw indexed sqlite3 lookup: p50 {figures['raw_p50_ms']} ms, "
          f"p99 {figures['raw_p99_ms']} ms; ratio {figures['identify_ratio']}")  # fmt: skip
    print(f"cold start to an interactive till (PIN dialog taking keys) {figures['start_ms']} ms "
          f"vs bare Qt window {figures['bare_start_ms']} ms: ratio {figures['start_ratio']} "
          f"(target <= 2.5); store open and catalogue tiles shown at {figures['ready_ms']} ms "
          f"(ratio {figures['ready_ratio']})")  # fmt: skip
    print(f"guest card of a guest with {POSTINGS} postings -> first history page drawn: p50 "
          f"{figures['card_history_p50_ms']} ms, p99 {figures['card_history_p99_ms']} ms "
          f"(target p99 < 200 ms)")  # fmt: skip
    print(json.dumps(figures))
    return 0
