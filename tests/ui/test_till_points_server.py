"""Points that match the server (issue 22 point 4), in the window of an enrolled till with a
real ``pos-server run``: the payment dialog says what may be paid with points online and
offline before anything is typed; the server refuses a points payment its balance does not
cover, the banner says so in its figures and the guest panel shows the server's balance (the
till's cache had 860 points, the server 0); a guest the server does not know is said plainly."""

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
from pos_app.db import Store
from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import Identifier, InputMethod, Medium
from pos_app.domain.money import rub
from pos_server.db import make_engine
from pos_server.staff.service import StaffError, add_staff
from pos_server.uow import unit_of_work
from tests.sync.conftest import new_code
from tests.sync.faultproxy import ServerProcess, seed_guests
from tests.ui.test_till_window import LATTE, open_shift
from tests.ui.till_fixtures import CASHIER_PIN, Till, started_till

CARD = "7712000000000013"
STRANGER_CARD = "7712000000000021"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("server")
    with ServerProcess(f"sqlite:///{folder / 'server.sqlite3'}", folder,
                       sweep_interval_seconds=0) as process:  # fmt: skip
        yield process


def _cashier(db_url: str) -> None:
    """Olga on the server's staff (once for the module's server)."""
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            add_staff(uow, "Olga Cashier", "cashier", CASHIER_PIN)
    except StaffError:
        pass  # added by the test before
    finally:
        engine.dispose()


def _till(server: ServerProcess, tmp_path: Path, qtbot: QtBot) -> tuple[Till, Store, str]:
    """An enrolled till whose cache believes the server's guest has 860 points (the server
    has none), and a guest made only here with 500 points in the cache."""
    folder = tmp_path / "till"
    store = enrol_data_dir(folder, server.url, new_code(server.db_url),
                           f"file:{tmp_path / 'tokens'}")  # fmt: skip
    terminal = enrolled_terminal(store)
    assert terminal is not None
    guest_id = f"ui-points-{tmp_path.name}-0"
    seed_guests(server.db_url, 1, terminal, prefix=f"ui-points-{tmp_path.name}-")
    _cashier(server.db_url)
    start_sync(store, folder).puller.pull()  # the staff and the guest reach the till
    now = datetime.now(UTC)
    with store.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.guests.add_identifier(Identifier(Medium.CARD, InputMethod.MSR, CARD), guest_id)
        uow.accounts.set_snapshot(guest_id, guest_id, "bonus", total=rub(860), held=0, at=now)
        uow.guests.add(Guest("stranger", "Local Only"))
        uow.guests.add_identifier(Identifier(Medium.CARD, InputMethod.MSR, STRANGER_CARD),
                                  "stranger")  # fmt: skip
        uow.accounts.set_snapshot("stranger", "stranger", "bonus", total=rub(500), held=0,
                                  at=now)  # fmt: skip
        uow.commit()
    till = started_till(store, TillOptions(data_dir=str(folder), lang="en", printer=None),
                        qtbot)  # fmt: skip
    till.sign_in()
    qtbot.waitUntil(lambda: till.window.staff is not None, timeout=20000)
    open_shift(till)
    return till, store, guest_id


def _payment(till: Till, card: str) -> object:
    window = till.window
    till.scan(LATTE)
    till.scan(f";{card}=4912?")
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    window.payment.pay()
    till.qtbot.waitUntil(lambda: window.payment.dialog is not None
                         and window.payment.dialog.isVisible(), timeout=5000)  # fmt: skip
    return window.payment.dialog


def test_the_servers_refusal_says_its_balance_and_the_panel_shows_it(
    server: ServerProcess, tmp_path: Path, qtbot: QtBot
) -> None:
    till, store, _ = _till(server, tmp_path, qtbot)
    window = till.window
    try:
        dialog = _payment(till, CARD)
        assert "860,00 pts available" in window.guest_panel.summary.text()
        room = dialog.points_room  # type: ignore[attr-defined]
        assert room.isVisible()
        assert room.text() == ("Points: up to 105,00 pts now, confirmed by the server; up to "
                               "0,00 pts if the server cannot be reached.")  # fmt: skip
        dialog.reject()  # type: ignore[attr-defined]
        window.controller.pay("points", rub(50))
        qtbot.waitUntil(lambda: "The server has 0,00 pts for this guest" in window.banner.text(),
                        timeout=15000)  # fmt: skip
        qtbot.waitUntil(lambda: "0,00 pts available" in window.guest_panel.summary.text()
                        and "860" not in window.guest_panel.summary.text(),
                        timeout=5000)  # fmt: skip
        assert window.banner.property("level") == "error"
        assert window.controller.sale is not None and not window.controller.sale.payments
    finally:
        till.stop()
        store.close()


def test_a_guest_the_server_does_not_know_is_said_plainly(
    server: ServerProcess, tmp_path: Path, qtbot: QtBot
) -> None:
    till, store, _ = _till(server, tmp_path, qtbot)
    window = till.window
    try:
        _payment(till, STRANGER_CARD).reject()  # type: ignore[attr-defined]
        window.controller.pay("points", rub(50))
        qtbot.waitUntil(lambda: "not known to the server yet" in window.banner.text(),
                        timeout=15000)  # fmt: skip
        assert window.controller.sale is not None and not window.controller.sale.payments
    finally:
        till.stop()
        store.close()
