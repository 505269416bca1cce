"""A till enrolled before issue 16 with a plain http:// server on the network: the till keeps
selling, its sync is not started (the token would cross the network in clear), and the
status bar says why, in Russian and in English."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from pos_app.commands.store_factory import open_till_store
from pos_app.commands.sync_runtime import SERVER_KEY, TERMINAL_KEY, TOKEN_STORE_KEY
from pos_app.commands.till_app import TillBackend, TillOptions
from pos_app.sync.enrolment import FileTokenStore
from pos_app.ui.bridge import CoreBridge
from pos_app.ui.i18n import install_translators
from pos_app.ui.till.status import describe


def legacy_till(folder: Path) -> None:
    """The settings an enrolment over http://192.0.2.10 left before the rule existed."""
    tokens = FileTokenStore(folder / "tokens")
    tokens.save("T-legacy", "secret-token")
    with open_till_store(folder / "till") as store, store.unit_of_work() as uow:
        uow.settings.set(SERVER_KEY, "http://192.0.2.10:8765")
        uow.settings.set(TERMINAL_KEY, "T-legacy")
        uow.settings.set(TOKEN_STORE_KEY, tokens.choice)
        uow.commit()


def test_a_stored_plain_http_server_stops_sync_not_sales_and_the_bar_says_why(
    tmp_path: Path, qapp: QApplication
) -> None:
    legacy_till(tmp_path)
    backend = TillBackend(TillOptions(data_dir=str(tmp_path / "till"), printer=None),
                          CoreBridge())  # fmt: skip
    try:
        services = backend.open()  # does not raise: the till sells
        assert services is not None and backend.sync is None
        state = backend.local_state()
        assert state is not None and state.plain_http
        assert "plain http://" in describe(state) and "--insecure" in describe(state)
        translators = install_translators(qapp, "ru")
        try:
            assert "незащищённому http://" in describe(state)
        finally:
            for translator in translators:
                qapp.removeTranslator(translator)
    finally:
        backend.close()
