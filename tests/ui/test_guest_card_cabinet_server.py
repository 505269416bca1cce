"""The guest card's Cabinet tab against a real ``pos-server run`` on loopback (issue 19 point
1), through the till's own wiring (``composition.till_services`` of an enrolled till): the tab
asks whether the guest has a login, the cashier sets one with a random password and reads it
once; the credentials open the cabinet; a taken login is said; a server that does not answer
is said plainly and the form is kept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from bench.net import free_port
from pos_app.commands.composition import start_sync, till_services
from pos_app.commands.sync_runtime import enrol_data_dir, enrolled_terminal, load_token
from pos_app.db import Store
from pos_app.services.guest_cabinet import GuestCabinetService
from pos_app.services.staff import StaffSession
from pos_app.sync.guest_cabinet_client import GuestCabinetClient
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.till.guest_card import GuestCardDialog
from pos_server.cabinet_web import accounts
from pos_server.db import make_engine
from pos_server.staff.service import add_staff
from pos_server.uow import unit_of_work
from pos_server.web import sessions
from tests.sync.conftest import new_code
from tests.sync.faultproxy import ServerProcess, seed_guests


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("server")
    with ServerProcess(f"sqlite:///{folder / 'server.sqlite3'}", folder,
                       sweep_interval_seconds=0) as process:  # fmt: skip
        yield process


def _cashier(db_url: str, name: str, pin: str) -> StaffSession:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            row = add_staff(uow, name, "cashier", pin)  # the module's server: PINs differ
            staff_id = row.id
    finally:
        engine.dispose()
    return StaffSession(staff_id, name, "cashier", frozenset(), datetime.now(UTC))


def _store(server: ServerProcess, tmp_path: Path, prefix: str) -> Store:
    folder = tmp_path / "till"
    store = enrol_data_dir(folder, server.url, new_code(server.db_url),
                           f"file:{tmp_path / 'tokens'}")  # fmt: skip
    terminal = enrolled_terminal(store)
    assert terminal is not None
    seed_guests(server.db_url, 2, terminal, prefix=prefix)
    start_sync(store, folder).puller.pull()  # the guests reach the till
    return store


def _dialog(qtbot: QtBot, store: Store, tmp_path: Path, by: StaffSession, guest_id: str, *,
            cabinet: GuestCabinetService | None = None) -> GuestCardDialog:  # fmt: skip
    services = till_services(store, sync=start_sync(store, tmp_path / "till"))
    dialog = GuestCardDialog(
        OpRunner(),
        services.guest_card,
        services.guest_history,
        by=by,
        guest_id=guest_id,
        cabinet=cabinet or services.guest_cabinet,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10000)
    return dialog


def test_a_cashier_sets_a_random_password_and_it_opens_the_cabinet(
    server: ServerProcess, tmp_path: Path, qtbot: QtBot
) -> None:
    prefix = f"cab-{tmp_path.name}-"
    store = _store(server, tmp_path, prefix)
    olga = _cashier(server.db_url, f"Olga {tmp_path.name}", "4826")
    anna, boris = f"{prefix}0", f"{prefix}1"
    dialog = _dialog(qtbot, store, tmp_path, olga, anna)
    tab = dialog.cabinet
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())][-1] == "Cabinet"
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.state.text() == "No cabinet login yet.", timeout=15000)
    assert tab.send.isEnabled()  # the seeded guest has a mobile phone
    login = f"anna.{tmp_path.name[-12:]}".lower()
    tab.login.setText(login)
    tab.random.setChecked(True)
    assert not tab.password.isEnabled()
    tab.set_credentials()
    qtbot.waitUntil(lambda: "shown only now" in dialog.message.text(), timeout=30000)
    password = tab.answer.text().split("password: ")[1].split(" ")[0]
    assert len(password) == 10 and dialog.message.property("problem") is False
    assert tab.state.text().startswith(f"Cabinet login: {login}")
    engine = make_engine(server.db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            audit = [(r.action, r.after, r.staff_id) for r in uow.guest_cards.audit_rows(anna)
                     if r.action == "cabinet.credentials"]  # fmt: skip
            uow.guest_cards.load(anna)
            uow.guest_cards.write(anna, {"registration_skipped": True}, uow.now)
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            signed = accounts.sign_in(uow, login, password, "10.2.2.2", sessions.Lifetimes())
    finally:
        engine.dispose()
    assert audit == [("cabinet.credentials", login, olga.staff_id)]
    assert isinstance(signed, accounts.SignedIn) and signed.guest_id == anna
    dialog.runner.shutdown()  # type: ignore[attr-defined]

    other = _dialog(qtbot, store, tmp_path, olga, boris)
    other.tabs.setCurrentWidget(other.cabinet)
    other.cabinet.login.setText(login.upper())
    other.cabinet.password.setText("a typed password")
    other.cabinet.set_credentials()
    qtbot.waitUntil(lambda: other.message.property("problem") is True, timeout=30000)
    assert other.message.text() == "This login is taken: choose another."
    assert other.cabinet.login.text() == login.upper()  # the form is kept
    other.runner.shutdown()  # type: ignore[attr-defined]
    store.close()


def test_without_an_answer_the_tab_says_the_server_is_needed(
    server: ServerProcess, tmp_path: Path, qtbot: QtBot
) -> None:
    prefix = f"off-{tmp_path.name}-"
    store = _store(server, tmp_path, prefix)
    olga = _cashier(server.db_url, f"Olga {tmp_path.name}", "5937")
    _, token = load_token(store)
    gone = GuestCabinetClient(f"http://127.0.0.1:{free_port()}", token)  # nobody listens
    dialog = _dialog(qtbot, store, tmp_path, olga, f"{prefix}0", cabinet=GuestCabinetService(gone))
    tab = dialog.cabinet
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: "did not answer" in tab.state.text(), timeout=15000)
    tab.login.setText("offline.anna")
    tab.random.setChecked(True)
    tab.set_credentials()
    qtbot.waitUntil(lambda: dialog.message.property("problem") is True, timeout=15000)
    assert "kept on the server, which did not answer" in dialog.message.text()
    assert tab.login.text() == "offline.anna" and tab.random.isChecked()
    assert tab.submit.isEnabled()
    # the flags are card edits: saved offline, queued for the server
    tab.ordering.setChecked(not tab.ordering.isChecked())
    tab.save_flags()
    qtbot.waitUntil(lambda: dialog.message.text() == "Saved.", timeout=10000)
    with store.unit_of_work() as uow:
        assert [op.kind for op in uow.outbox.pending()] == ["guest.updated"]
    dialog.runner.shutdown()  # type: ignore[attr-defined]
    store.close()
