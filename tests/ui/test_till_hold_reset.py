"""Shift+F4 in the till window of an enrolled till with a real ``pos-server run``: the guest's
open hold on the server is released after a reason and a manager's PIN, the banner says how
many, and the guest panel shows the points no longer held (pulled from the feed at once)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pos_app.commands.composition import start_sync
from pos_app.commands.demo_data import fill_catalogue
from pos_app.commands.sync_runtime import enrol_data_dir, enrolled_terminal
from pos_app.commands.till_app import TillOptions
from pos_app.domain.identifiers import Identifier, InputMethod, Medium
from pos_app.domain.money import rub
from pos_server.db import make_engine, make_sessions
from pos_server.repositories.points_ledger import load_account, save_account
from pos_server.staff.service import add_staff
from pos_server.uow import unit_of_work
from tests.sync.conftest import give_points, new_code, server_account
from tests.sync.faultproxy import ServerProcess, seed_guests
from tests.ui.test_till_manager import answer, press
from tests.ui.test_till_window import LATTE, open_shift
from tests.ui.till_fixtures import CASHIER_PIN, started_till

CARD = "7712000000000005"
MANAGER_PIN = "909090"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("server")
    with ServerProcess(f"sqlite:///{folder / 'server.sqlite3'}", folder,
                       sweep_interval_seconds=0) as process:  # fmt: skip
        yield process


def _on_server(db_url: str, guest_id: str) -> None:
    """A manager and a cashier on the server's staff, and an open 100 ₽ hold of the guest (as
    a till that crashed mid-payment would leave it)."""
    now = datetime.now(UTC)
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=now) as uow:
            add_staff(uow, "Oleg Manager", "manager", MANAGER_PIN)
            add_staff(uow, "Olga Cashier", "cashier", CASHIER_PIN)
        with make_sessions(engine).begin() as session:
            account = load_account(session, guest_id)
            account.place_hold("stuck-hold", rub(100), now=now, actor="test", terminal_id=None,
                               reason="a till crashed mid-payment")  # fmt: skip
            save_account(session, account, now)
    finally:
        engine.dispose()


def test_a_manager_releases_the_guests_stuck_hold_from_the_till(
    server: ServerProcess, tmp_path: Path, qtbot: QtBot
) -> None:
    folder = tmp_path / "till"
    store = enrol_data_dir(folder, server.url, new_code(server.db_url),
                           f"file:{tmp_path / 'tokens'}")  # fmt: skip
    terminal = enrolled_terminal(store)
    assert terminal is not None
    guest_id = "ui-reset-0"
    seed_guests(server.db_url, 1, terminal, prefix="ui-reset-")
    give_points(server.db_url, guest_id, rub(500))
    _on_server(server.db_url, guest_id)
    start_sync(store, folder).puller.pull()  # staff, the guest and their points reach the till
    with store.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.guests.add_identifier(Identifier(Medium.CARD, InputMethod.MSR, CARD), guest_id)
        uow.commit()
    till = started_till(store, TillOptions(data_dir=str(folder), lang="en", printer=None),
                        qtbot)  # fmt: skip
    window = till.window
    try:
        till.sign_in()
        qtbot.waitUntil(lambda: window.staff is not None, timeout=20000)
        open_shift(till)
        till.scan(LATTE)
        till.scan(f";{CARD}=4912?")
        qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
        assert "held 100,00" in window.guest_panel.points_detail.text()

        press(till, "Shift+F4")
        answer(till, "the till crashed mid-payment")
        qtbot.waitUntil(lambda: window.manager.pin_dialog is not None
                        and window.manager.pin_dialog.isVisible(), timeout=5000)  # fmt: skip
        pin = window.manager.pin_dialog
        assert pin is not None and "releases the holds of" in pin.labelText()
        pin.setTextValue(MANAGER_PIN)
        pin.accept()
        qtbot.waitUntil(lambda: "The guest's holds released on the server: 1 (approved by "
                        "Oleg Manager)" in window.banner.text(), timeout=15000)  # fmt: skip
        assert server_account(server.db_url, guest_id) == (rub(500), 0)
        assert "held 0,00" in window.guest_panel.points_detail.text()
        assert "500,00 pts available" in window.guest_panel.points.text()
    finally:
        till.stop()
        store.close()
