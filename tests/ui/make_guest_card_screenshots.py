"""Screenshots of the guest card's tabs, Russian and English, for the README.

Run under a virtual display, like the other till screenshots::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m tests.ui.make_guest_card_screenshots

The demo till identifies the demo guest by the app code and opens the card (Ctrl+G). The History
tab reads a real ``pos-server run`` on loopback that knows the same guest: a manager's credit
and debit and a top-up are sent to it as operations first. Saves
``docs/screenshots/till-guest-card-<tab>-<lang>.png``, the Cabinet tab after a login set with
a random password on that server (``till-guest-card-cabinet-<lang>.png``), the Accounts tab
after a cash top-up (``till-guest-card-deposit-<lang>.png``) and the new-guest form refusing a
phone another guest has (``till-new-guest-<lang>.png``).
"""

from __future__ import annotations

import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import requests
from PySide6.QtWidgets import QApplication

from pos_app.commands.demo_data import main as demo_data
from pos_app.commands.till_app import TillOptions
from pos_app.db.uow import SystemClock
from pos_app.services.guest_cabinet import GuestCabinetService
from pos_app.services.guest_history import GuestHistoryService
from pos_app.sync.guest_cabinet_client import GuestCabinetClient
from pos_app.sync.guest_history_client import GuestHistoryClient
from pos_app.ui.till.guest_card import GuestCardDialog
from pos_server.db import upgrade
from tests.server.conftest import add_staff_member
from tests.sync.faultproxy import ServerProcess, enrol_terminal
from tests.ui.make_reconciliation_screenshot import LATTE
from tests.ui.make_screenshots import keys, shoot, sign_in_and_open_shift, start_till, wait_until

TABS = ("main", "contacts", "identifiers", "accounts", "history")


def seed(server: ServerProcess, token: str, terminal_id: str, guest_id: str, name: str) -> None:
    """The guest and a few movements on the server, sent as a till sends them."""
    add_staff_member(server.db_url, "olga", "manager")
    ops = [("guest.created", {"guest_id": guest_id, "name": name}),
           ("account.adjusted", {"adjustment_id": "a1", "guest_id": guest_id, "account": "points",
                                 "direction": "credit", "amount": 50_000, "staff_id": "olga",
                                 "reason": "день рождения"}),
           ("balance.topped_up", {"guest_id": guest_id, "amount": 100_000, "ref": "t1",
                                  "staff_id": "olga"}),
           ("account.adjusted", {"adjustment_id": "a2", "guest_id": guest_id, "account": "points",
                                 "direction": "debit", "amount": 12_000, "staff_id": "olga",
                                 "reason": "ошибка кассира"})]  # fmt: skip
    now = datetime.now(UTC).isoformat()
    body = {"operations": [
        {"op_id": str(uuid.uuid4()), "terminal_id": terminal_id, "seq": seq,
         "created_at": now, "kind": kind, "payload": payload}
        for seq, (kind, payload) in enumerate(ops, 1)]}  # fmt: skip
    answer = requests.post(server.url + "/v1/ops", json=body,
                           headers={"Authorization": f"Bearer {token}"}, timeout=10)  # fmt: skip
    assert answer.ok and {r["status"] for r in answer.json()["results"]} == {"applied"}, answer.text


def main(lang: str = "ru") -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        demo_data(["--data-dir", f"{tmp}/till"])
        runtime, store = start_till(app, TillOptions(data_dir=f"{tmp}/till", lang=lang,
                                                     printer=None))  # fmt: skip
        window = runtime.window
        sign_in_and_open_shift(window, "1111")  # the demo cashier
        keys(LATTE + "\r", 4, 1_000_000, window)
        keys("QR-GUEST-03\r", 4, 1_200_000, window)
        wait_until(lambda: window.guest_panel.guest is not None)
        guest = window.guest_panel.guest
        assert guest is not None
        db_url = f"sqlite:///{Path(tmp) / 'server.sqlite3'}"
        upgrade(db_url)
        with ServerProcess(db_url, Path(tmp)) as server:
            terminal_id, token = enrol_terminal(server, "screenshots")
            seed(server, token, terminal_id, guest.guest_id, guest.name)
            services = window.ctx.services.get()
            history = GuestHistoryService(store.unit_of_work, SystemClock(),
                                          GuestHistoryClient(server.url, token))  # fmt: skip
            assert window.staff is not None
            dialog = GuestCardDialog(
                window.ctx.runner,
                services.guest_card,
                history,
                by=window.staff,
                guest_id=guest.guest_id,
                parent=window,
                deposits=services.deposits,
                reports=services.reports,
                cabinet=GuestCabinetService(GuestCabinetClient(server.url, token)),
            )
            dialog.open()
            wait_until(lambda: dialog.view is not None)
            for index, tab in enumerate(TABS):
                dialog.tabs.setCurrentIndex(index)
                if tab == "history":
                    wait_until(lambda: dialog.history.table.rowCount() > 0)
                shoot(f"guest-card-{tab}-{lang}")
            add_staff_member(server.db_url, window.staff.staff_id, "cashier")  # may set it
            tab = dialog.cabinet
            dialog.tabs.setCurrentWidget(tab)
            wait_until(lambda: tab.state.text() != "" and not tab.state.text().endswith("…"))
            tab.login.setText("anna.demo")
            tab.random.setChecked(True)
            tab.set_credentials()
            wait_until(lambda: tab.answer.text() != "")
            shoot(f"guest-card-cabinet-{lang}")
            dialog.tabs.setCurrentWidget(dialog.accounts)  # a cash top-up with change
            box = dialog.accounts.deposit
            box.amount.setText("500")
            box.tendered.setText("1000")
            box.top_up()
            wait_until(lambda: box.top_ups.count() > 0)
            shoot(f"guest-card-deposit-{lang}")
            dialog.close()
            window.guests.new_guest()  # Ctrl+N: the full form, the phone checked
            form = window.guests.new_guest_dialog
            assert form is not None
            form.name.setText("Вера Котова" if lang == "ru" else "Vera Kotova")
            form.phone.setText(guest.phones[0] if guest.phones else "+7 900 555 44 33")
            form.check()
            wait_until(lambda: "…" not in form.phone_note.text() and form.phone_note.text() != "")
            shoot(f"new-guest-{lang}")
            form.close()
        runtime.stop(app)
        store.close()
    return 0


if __name__ == "__main__":
    for language in ("ru", "en"):
        main(language)
