"""The first-run wizard against a real ``pos-server run`` on loopback: a QR link scanned
enrols the till (the token in a 0600 file, said in the window, on a box with no keyring), the
venue's data comes from the server's feed, the test page prints and a scan shows; a bad code,
an expired code, a server that does not answer, plain http to another machine and a text that
is not a link are each one sentence saying what to do, and nothing is enrolled."""

from __future__ import annotations

import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from bench.net import free_port
from pos_app.commands import till_app
from pos_app.commands.first_run import needs_setup
from pos_app.commands.first_run_setup import DataFolderSetup
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.domain.enrol_link import format_enrol_link
from pos_app.ui.main_window import TillWindow
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.setup.texts import failure_text
from pos_app.ui.setup.wizard import SetupWizard
from pos_server.db import make_engine, make_sessions
from pos_server.terminals import service as terminals
from tests.sync.conftest import new_code
from tests.sync.faultproxy import ServerProcess

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("server")
    with ServerProcess(f"sqlite:///{folder / 'server.sqlite3'}", folder,
                       sweep_interval_seconds=0) as process:  # fmt: skip
        subprocess.run([sys.executable, "-m", "pos_server.cli", "catalogue", "import",
                        str(ROOT / "pos_server/demo_data/catalogue.json"), "--db",
                        process.db_url], check=True, capture_output=True)  # fmt: skip
        yield process


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    """As on a headless box: no keyring backend, so the token goes to a 0600 file."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@dataclass
class Wizard:
    widget: SetupWizard
    setup: DataFolderSetup
    folder: Path
    qtbot: QtBot


@pytest.fixture
def wizard(qtbot: QtBot, tmp_path: Path) -> Iterator[Wizard]:
    folder = tmp_path / "till"
    setup, runner = DataFolderSetup(folder), OpRunner()
    widget = SetupWizard(setup, runner)
    qtbot.addWidget(widget)
    widget.show()
    widget.start()
    page = widget.connect_page
    qtbot.waitUntil(lambda: "token" in page.token_note.text(), timeout=5000)
    yield Wizard(widget, setup, folder, qtbot)
    runner.run(setup.close)
    runner.shutdown(wait=True)


def expired_code(db_url: str) -> str:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine).begin() as session:
            old = datetime.now(UTC) - timedelta(days=2)
            return terminals.add_terminal(session, "Old", old, timedelta(hours=1)).enrolment_code
    finally:
        engine.dispose()


def connect(w: Wizard, server: str, code: str) -> str:
    """Type the server and the code, press Connect, return the page's message."""
    page = w.widget.connect_page
    page.server.setText(server)
    page.code.setText(code)
    page.connect_button.click()
    w.qtbot.waitUntil(page.connect_button.isEnabled, timeout=20_000)
    return page.message.text()


def test_a_scanned_link_enrols_fetches_the_venue_and_tests_the_devices(
    server: ServerProcess, wizard: Wizard, tmp_path: Path
) -> None:
    w, qtbot = wizard.widget, wizard.qtbot
    token_file = wizard.folder / "terminal.token"
    assert str(token_file) in w.connect_page.token_note.text()  # said before the code is spent
    assert "0600" in w.connect_page.token_note.text()
    link = format_enrol_link(server.url, new_code(server.db_url, "Bar till"))
    qtbot.keyClicks(w.connect_page.link, link)  # as a keyboard-wedge scanner types it
    qtbot.keyClick(w.connect_page.link, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.venue_page, timeout=20_000)
    assert "Bar till" in w.venue_page.enrolment.text()
    assert str(token_file) in w.venue_page.enrolment.text()
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    qtbot.waitUntil(lambda: "Products:" in w.venue_page.details.text(), timeout=30_000)
    details = w.venue_page.details.text()
    assert "Time zone: Europe/Moscow" in details and "Products: 0" not in details
    assert not needs_setup(wizard.folder)  # enrolled: the next start opens the till

    w.venue_page.venue_name.setText("Кофейня Зерно")
    w.venue_page.next_button.click()
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.devices_page, timeout=10_000)
    qtbot.waitUntil(lambda: w.devices_page.settings is not None, timeout=10_000)
    assert "Serial ports" in w.devices_page.found.text() or "No serial" in (
        w.devices_page.found.text()
    )
    assert wizard.setup.venue().venue_name == "Кофейня Зерно"

    emulator = PrinterEmulator(tmp_path / "jobs", port=0)
    emulator.start()
    try:
        settings = w.devices_page.settings
        assert settings is not None
        qtbot.waitUntil(settings.save_button.isEnabled, timeout=10_000)
        settings.printer.port.setValue(emulator.port)
        settings.printer.test_button.click()
        [page] = emulator.wait_for_jobs(1)
        assert "ТЕСТОВАЯ" in page.read_text("utf-8")
    finally:
        emulator.stop()

    qtbot.keyClicks(w.devices_page.scan_field, "4607001234567")
    qtbot.keyClick(w.devices_page.scan_field, Qt.Key.Key_Return)
    assert "4607001234567" in w.devices_page.scan_result.text()
    with qtbot.waitSignal(w.completed) as done:
        w.devices_page.finish_button.click()
    assert done.args == [True]


def test_a_bad_code_is_said_and_nothing_is_enrolled(server: ServerProcess, wizard: Wizard) -> None:
    message = connect(wizard, server.url, "not-a-real-code")
    assert message == failure_text("code_unknown", "")
    assert "pos-server terminal add" in message
    assert wizard.widget.pages.currentWidget() is wizard.widget.connect_page
    assert needs_setup(wizard.folder)
    assert not (wizard.folder / "terminal.token").exists()


def test_an_expired_code_is_told_apart(server: ServerProcess, wizard: Wizard) -> None:
    assert connect(wizard, server.url, expired_code(server.db_url)) == failure_text(
        "code_expired", ""
    )


def test_a_server_that_does_not_answer(wizard: Wizard) -> None:
    message = connect(wizard, f"http://127.0.0.1:{free_port()}", "some-code")
    assert message == failure_text("unreachable", "")
    assert "does not answer" in message


def test_plain_http_to_another_machine_is_refused_before_connecting(wizard: Wizard) -> None:
    message = connect(wizard, "http://192.0.2.10:8765", "some-code")  # TEST-NET: never routed
    assert message == failure_text("plain_http", "")
    assert "https://" in message


def test_a_scan_that_is_not_an_enrolment_link(wizard: Wizard) -> None:
    page = wizard.widget.connect_page
    wizard.qtbot.keyClicks(page.link, "4607001234567")
    wizard.qtbot.keyClick(page.link, Qt.Key.Key_Return)
    wizard.qtbot.waitUntil(lambda: bool(page.message.text()), timeout=5000)
    assert page.message.text() == failure_text("bad_link", "")


def test_working_without_a_server_is_remembered(wizard: Wizard) -> None:
    w = wizard.widget
    w.connect_page.offline_button.click()
    wizard.qtbot.waitUntil(lambda: w.pages.currentWidget() is w.venue_page, timeout=10_000)
    assert "without a server" in w.venue_page.enrolment.text()
    assert not needs_setup(wizard.folder)


def _when_shown(kind: type, act: Callable[[Any], None]) -> None:
    """Run ``act`` on the first visible top-level widget of ``kind`` once it shows."""

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                act(widget)
                return
        QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)


def test_pos_app_till_opens_the_wizard_first_and_closing_it_opens_nothing(
    qapp: QApplication, tmp_path: Path
) -> None:
    _when_shown(SetupWizard, lambda wizard: wizard.close())
    assert till_app.main(["--data-dir", str(tmp_path / "till"), "--printer", "none"]) == 0
    assert not (tmp_path / "till" / "till.sqlite3").exists()  # nothing was made


def test_after_the_wizard_the_till_opens_and_the_next_start_skips_it(
    qapp: QApplication, tmp_path: Path
) -> None:
    folder = tmp_path / "till"
    seen: list[str] = []

    def through_offline(wizard: SetupWizard) -> None:
        seen.append("wizard")
        wizard.connect_page.offline_button.click()
        _when_page(wizard, wizard.venue_page, wizard.venue_page.next_button.click)
        _when_page(wizard, wizard.devices_page, wizard.devices_page.finish_button.click)

    def close_till(window: TillWindow) -> None:
        seen.append("till")
        window.close()

    _when_shown(SetupWizard, through_offline)
    _when_shown(TillWindow, close_till)
    assert till_app.main(["--data-dir", str(folder), "--printer", "none"]) == 0
    assert seen == ["wizard", "till"]
    assert not needs_setup(folder)


def _when_page(wizard: SetupWizard, page: QWidget, act: Callable[[], None]) -> None:
    def look() -> None:
        ready = wizard.pages.currentWidget() is page and (
            page is not wizard.venue_page or wizard.venue_page.next_button.isEnabled()
        )
        if ready:
            act()
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)


def test_a_link_scanned_into_the_server_field_is_read_as_a_link(
    server: ServerProcess, wizard: Wizard
) -> None:
    w = wizard.widget
    link = format_enrol_link(server.url, new_code(server.db_url))
    wizard.qtbot.keyClicks(w.connect_page.server, link)
    wizard.qtbot.keyClick(w.connect_page.server, Qt.Key.Key_Return)
    wizard.qtbot.waitUntil(lambda: w.pages.currentWidget() is w.venue_page, timeout=20_000)
    assert w.connect_page.server.text() == server.url


def test_an_address_without_a_scheme_is_not_taken_for_a_link(wizard: Wizard) -> None:
    assert connect(wizard, "pos.shop.lan", "") == failure_text("bad_url", "")
