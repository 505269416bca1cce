"""The connection state nobody can miss: an idle enrolled till shows a red OFFLINE badge in its
header within 5 s of losing the server (a real ``pos-server run`` behind a fault proxy), and a
till never enrolled says so instead of counting operations "waiting to send"."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from pos_app.commands.sync_runtime import enrol_data_dir
from pos_app.commands.till_app import TillOptions
from tests.sync.conftest import new_code
from tests.sync.faultproxy import FaultProxy, ServerProcess
from tests.ui.test_till_window import LATTE, signed_in
from tests.ui.till_fixtures import started_till


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("server")
    with ServerProcess(f"sqlite:///{folder / 'server.sqlite3'}", folder,
                       sweep_interval_seconds=0) as process:  # fmt: skip
        yield process


def test_an_idle_till_shows_offline_within_5_s_of_losing_the_server(
    server: ServerProcess, tmp_path: Path, qtbot: QtBot
) -> None:
    proxy = FaultProxy(server.port)
    folder = tmp_path / "till"
    store = enrol_data_dir(folder, f"http://127.0.0.1:{proxy.port}", new_code(server.db_url),
                           f"file:{tmp_path / 'tokens'}")  # fmt: skip
    till = started_till(store, TillOptions(data_dir=str(folder), lang="en", printer=None), qtbot)
    window = till.window
    banner = window.connection_banner
    try:
        qtbot.waitUntil(lambda: window.sync_status.text().startswith("online"), timeout=20000)
        assert not banner.isVisible()
        time.sleep(1.0)  # idle: nothing queued, nobody at the till
        proxy.go_offline()
        lost = time.monotonic()
        qtbot.waitUntil(banner.isVisible, timeout=5000)
        assert time.monotonic() - lost < 5.0
        assert banner.text().startswith("OFFLINE since")
        assert banner.property("level") == "offline"
        assert banner.parentWidget().objectName() == "header"
        assert banner.font().pixelSize() >= 16 and banner.font().bold()
        proxy.go_online()  # back: the badge goes away by itself
        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10000)
    finally:
        till.stop()
        store.close()
        proxy.close()


def test_a_till_never_enrolled_says_so_instead_of_waiting_to_send(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    window.controller.pay("cash", 500_00)
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    with till.store.unit_of_work() as uow:
        assert uow.outbox.pending()  # the sale's operation is kept on the till
    status = window.sync_status
    till.qtbot.waitUntil(lambda: "not enrolled" in status.text(), timeout=5000)
    assert "waiting to send" not in status.text() and "nothing waiting" not in status.text()
    banner = window.connection_banner
    till.qtbot.waitUntil(banner.isVisible, timeout=5000)
    assert banner.text() == "NOT ENROLLED WITH A SERVER"
    assert banner.property("level") == "unenrolled"
