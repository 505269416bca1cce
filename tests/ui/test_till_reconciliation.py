"""The manager's "Sync problems" screen (issue 5 point 1): verdicts recorded by the real
``SyncQueue`` in the till's real store show up in the status bar's count and, behind a
manager's PIN, as readable rows; "Mark resolved" takes one off the open list and the count
drops. The real window, store and op runner; the shortcuts are the window's own. Last, a real
``pos-server`` rejects a sale and the sync worker's verdict reaches the status bar's count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from pos_app.commands.demo_data import fill_catalogue, fill_guests
from pos_app.commands.sync_runtime import enrol_data_dir, enrolled_terminal
from pos_app.commands.till_app import TillOptions
from pos_app.db.uow import SystemClock
from pos_app.domain.operations import parse
from pos_app.services.ports_sync import OpVerdict
from pos_app.services.staff import StaffService
from pos_app.services.sync_queue import SyncQueue
from pos_app.ui.till.reconciliation import ReconciliationDialog
from tests.sync.conftest import new_code, server_ops
from tests.sync.faultproxy import ServerProcess
from tests.ui.test_till_manager import MANAGER_PIN, press, with_manager
from tests.ui.test_till_window import LATTE, open_shift
from tests.ui.till_fixtures import CASHIER_PIN, Till, started_till

SCREENSHOT = "/tmp/recon.png"


def sell_latte(till: Till) -> None:
    window = till.window
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    window.controller.pay("cash", 500_00)
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)


def server_rejects_a_sale_and_a_guest(till: Till) -> SyncQueue:
    """What the sync worker does with a batch's answer, on the till's own store."""
    with till.store.unit_of_work() as uow:
        uow.outbox.append(parse("guest.created", {"guest_id": "g-anna", "name": "Anna Smirnova",
                                            "phone": "+79121234567"}))  # fmt: skip
        uow.commit()
    queue = SyncQueue(till.store.unit_of_work, SystemClock())
    sent = [e for e in queue.waiting() if e.kind in ("sale.closed", "guest.created")]
    assert [e.kind for e in sent] == ["sale.closed", "guest.created"]
    verdicts = [
        OpVerdict(sent[0].op_id, sent[0].seq, "rejected", "totals_mismatch",
                  "The line totals do not add up to the sale total."),
        OpVerdict(sent[1].op_id, sent[1].seq, "conflict", "guest_exists",
                  "Guest g-anna already exists.", {"guest_id": "g-anna", "name": "Anna S."}),
    ]  # fmt: skip
    recorded = queue.record(sent, verdicts, last_seq=sent[-1].seq)
    assert (recorded.rejected, recorded.conflicts) == (1, 1)
    return queue


def open_dialog(till: Till) -> ReconciliationDialog:
    till.qtbot.waitUntil(lambda: till.window.manager.reconciliation_dialog is not None
                         and till.window.manager.reconciliation_dialog.isVisible(),
                         timeout=5000)  # fmt: skip
    dialog = till.window.manager.reconciliation_dialog
    assert dialog is not None
    return dialog


def cells(dialog: ReconciliationDialog) -> list[list[str]]:
    model = dialog.model
    return [[model.index(row, col).data() for col in range(model.columnCount())]
            for row in range(model.rowCount())]  # fmt: skip


def test_rejected_operations_are_counted_shown_to_a_manager_and_resolved(
    till_factory: Any,
) -> None:
    till = with_manager(till_factory)
    window, problems = till.window, till.window.sync_problems
    sell_latte(till)
    assert problems.isHidden()  # nothing rejected yet: no count in the status bar
    queue = server_rejects_a_sale_and_a_guest(till)

    # the status bar learns the count where it learns the outbox figures
    till.qtbot.waitUntil(lambda: problems.count == 2 and problems.isVisible(), timeout=15000)
    assert problems.text() == "sync problems: 2 (F5)"

    press(till, "F5")  # the cashier: a manager's PIN is asked; the cashier's own does not do
    till.qtbot.waitUntil(lambda: window.manager.pin_dialog is not None
                         and window.manager.pin_dialog.isVisible(), timeout=5000)  # fmt: skip
    assert window.manager.pin_dialog is not None
    window.manager.pin_dialog.setTextValue(CASHIER_PIN)
    window.manager.pin_dialog.accept()
    till.qtbot.waitUntil(lambda: "A manager's PIN is needed" in window.banner.text(),
                         timeout=5000)  # fmt: skip
    assert window.manager.reconciliation_dialog is None

    problems.click()  # the count in the status bar opens it too
    till.qtbot.waitUntil(lambda: window.manager.pin_dialog is not None
                         and window.manager.pin_dialog.isVisible(), timeout=5000)  # fmt: skip
    window.manager.pin_dialog.setTextValue(MANAGER_PIN)
    window.manager.pin_dialog.accept()
    dialog = open_dialog(till)
    rows = cells(dialog)
    assert [row[1:] for row in rows] == [
        ["Sale", "Receipt T1-000001, 210,00 ₽", "The amounts do not add up.", "open"],
        ["New guest", "Anna Smirnova, +79121234567",
         "The guest already exists; the server's details were taken.", "open"],
    ]  # fmt: skip
    assert "The line totals do not add up to the sale total." in dialog.detail.text()
    dialog.grab().save(SCREENSHOT)

    dialog.table.selectRow(0)
    dialog.resolve_button.click()
    till.qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert cells(dialog)[0][1] == "New guest"
    assert problems.count == 1 and problems.text() == "sync problems: 1 (F5)"
    assert [i.kind for i in queue.items()] == ["guest.created"]  # resolved in the store

    dialog.show_resolved.setChecked(True)  # the resolved one is still there to look at
    till.qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=5000)
    assert [row[4] for row in cells(dialog)] == ["resolved", "open"]
    dialog.table.selectRow(0)
    assert not dialog.resolve_button.isEnabled()
    dialog.table.selectRow(1)
    dialog.resolve_button.click()
    till.qtbot.waitUntil(lambda: problems.count == 0 and problems.isHidden(), timeout=5000)
    assert queue.items() == []
    dialog.accept()


def test_a_manager_signed_in_opens_it_without_a_pin(till_factory: Any) -> None:
    till = with_manager(till_factory)
    window = till.window
    window.sign_out()
    till.sign_in(MANAGER_PIN)
    till.qtbot.waitUntil(lambda: window.staff is not None, timeout=10000)
    press(till, "F5")
    dialog = open_dialog(till)
    assert window.manager.pin_dialog is None  # no PIN asked of a manager
    assert dialog.model.rowCount() == 0 and not dialog.resolve_button.isEnabled()
    assert "every operation was accepted" in dialog.detail.text()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("server")
    with ServerProcess(f"sqlite:///{folder / 'server.sqlite3'}", folder,
                       sweep_interval_seconds=0) as process:  # fmt: skip
        yield process


def test_a_sale_the_server_rejects_reaches_the_count_through_the_sync_worker(
    server: ServerProcess, tmp_path: Path, qtbot: QtBot
) -> None:
    """The till knows a guest the server does not (demo guests, local only): the sale naming
    her is rejected (``unknown_guest``), never retried, and counted in the status bar."""
    folder = tmp_path / "till"
    store = enrol_data_dir(folder, server.url, new_code(server.db_url),
                           f"file:{tmp_path / 'tokens'}")  # fmt: skip
    terminal = enrolled_terminal(store)
    assert terminal is not None
    with store.unit_of_work() as uow:
        fill_catalogue(uow)
        fill_guests(uow, datetime.now(UTC))
        uow.commit()
    StaffService(store.unit_of_work, SystemClock()).add_staff(
        "s1", "Olga Cashier", "cashier", CASHIER_PIN, b"salt-s1"
    )
    till = started_till(store, TillOptions(data_dir=str(folder), lang="en", printer=None),
                        qtbot)  # fmt: skip
    window = till.window
    try:
        till.sign_in()
        qtbot.waitUntil(lambda: window.staff is not None, timeout=20000)
        open_shift(till)  # the start of the day's dialog: scans behind it are held
        qtbot.waitUntil(lambda: window.sync_status.text().startswith("online"), timeout=15000)
        assert window.sync_problems.isHidden()
        till.scan(LATTE)
        till.scan("QR-GUEST-03")
        qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
        window.controller.pay("cash", 500_00)
        qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
        qtbot.waitUntil(lambda: window.sync_problems.count == 1, timeout=15000)
        assert window.sync_problems.isVisible()
        verdicts = {kind: verdict for _, kind, verdict, _ in server_ops(server.db_url, terminal)}
        assert verdicts["sale.closed"] == "rejected"
        [item] = SyncQueue(store.unit_of_work, SystemClock()).items()
        assert (item.kind, item.reason) == ("sale.closed", "unknown_guest")
    finally:
        till.stop()
        store.close()


def test_times_are_the_venues_as_on_the_tills_clock(qtbot: QtBot) -> None:
    from datetime import timedelta, timezone

    from pos_app.services.ports_sync import ReconciliationItem
    from pos_app.ui.till.reconciliation import ReconciliationModel

    item = ReconciliationItem("op-1", 3, "sale.closed", "rejected", "unknown_guest", "…",
                              datetime(2026, 11, 23, 20, 55, tzinfo=UTC))  # fmt: skip
    model = ReconciliationModel(timezone(timedelta(hours=3)))
    model.set_items([item])
    assert model.data(model.index(0, 0)) == "23.11 23:55"  # Moscow, whatever the computer's
