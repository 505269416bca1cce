"""The screenshot of the manager's "Sync problems" screen, for the README.

Run under a virtual display, like the other till screenshots::

    xvfb-run -a -s "-screen 0 1366x768x24" \\
        .venv/bin/python -m tests.ui.make_reconciliation_screenshot

The demo till sells two lattes (one to a demo guest) and registers a new guest; the verdicts a
server could give them (the guest unknown there, a new guest whose id it already has) are
recorded through the real ``SyncQueue.record``, as the sync worker records them. The demo
manager signs in, F5 opens the screen, and ``docs/screenshots/till-reconciliation.png`` is saved.
"""

from __future__ import annotations

import sys
import tempfile

from PySide6.QtWidgets import QApplication

from pos_app.commands.demo_data import main as demo_data
from pos_app.commands.demo_data_catalog import ean13
from pos_app.commands.till_app import TillOptions
from pos_app.db import Store
from pos_app.db.uow import SystemClock
from pos_app.domain.operations import parse
from pos_app.services.ports_sync import OpVerdict
from pos_app.services.sync_queue import SyncQueue
from pos_app.ui.main_window import TillWindow
from tests.ui.make_screenshots import keys, shoot, sign_in_and_open_shift, start_till, wait_until

LATTE = ean13("460000000004")


def sell_latte(window: TillWindow, stamp: int, guest_code: str | None = None) -> None:
    keys(LATTE + "\r", 4, stamp, window)
    if guest_code:
        keys(guest_code + "\r", 4, stamp + 50_000, window)
        wait_until(lambda: window.guest_panel.guest is not None)
    wait_until(lambda: window.controller.sale is not None)
    window.controller.pay("cash", 500_00)
    wait_until(lambda: window.controller.sale is None)


def server_answers(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.outbox.append(parse("guest.created", {"guest_id": "guest-77", "name": "Ольга Белова",
                                            "phone": "+79125550077"}))  # fmt: skip
        uow.commit()
    queue = SyncQueue(store.unit_of_work, SystemClock())
    sent = [e for e in queue.waiting() if e.kind in ("sale.closed", "guest.created")]
    answers = {
        "sale.closed": ("rejected", "unknown_guest", "Guest guest-03 is not known to the server."),
        "guest.created": ("conflict", "guest_exists", "Guest guest-77 already exists."),
    }
    verdicts = [OpVerdict(e.op_id, e.seq, *answers[e.kind]) for e in sent
                if e.kind == "guest.created" or "guest-03" in str(e.payload.get("guest"))]
    queue.record(sent, verdicts, last_seq=sent[-1].seq)


def main(lang: str = "ru") -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        demo_data(["--data-dir", f"{tmp}/till"])
        runtime, store = start_till(app, TillOptions(data_dir=f"{tmp}/till", lang=lang,
                                                     printer=None))  # fmt: skip
        window = runtime.window
        sign_in_and_open_shift(window, "9999")  # the demo manager
        sell_latte(window, 1_000_000)
        sell_latte(window, 2_000_000, "QR-GUEST-03")
        server_answers(store)
        wait_until(lambda: window.sync_problems.count == 2, 15.0)  # the status bar's poll
        window.manager.show_sync_problems()
        wait_until(lambda: window.manager.reconciliation_dialog is not None
                   and window.manager.reconciliation_dialog.isVisible())  # fmt: skip
        shoot("reconciliation")
        runtime.stop(app)
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:2]))
