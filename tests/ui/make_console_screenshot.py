"""The operator console's screenshots for the README and docs/console.md, from the real app.

A ``pos-server run`` on a scratch SQLite file gets eight ``pos-server demo-order`` orders; a
console (its own store, enrolment and order stream) shows them; one order is accepted and
selected so the detail pane is filled. Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m
tests.ui.make_console_screenshot [ru|en] [OUT.png]``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from pos_app.commands.console_app import start_console
from pos_app.db import open_store
from pos_app.domain.orders import OrderAction
from pos_app.ui.i18n import install_translators
from tests.sync.test_order_stream_server import CLI, RealServer
from tests.ui.make_screenshots import settle, wait_until


class Silent:
    def play(self, _name: str) -> bool:
        return True


def main(lang: str = "ru", out: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    kept = install_translators(app, lang)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "server").mkdir()
        server = RealServer(Path(tmp) / "server").start()
        try:
            subprocess.run([*CLI, "demo-order", "--db", server.db_url, "--count", "8"],
                           check=True, capture_output=True)  # fmt: skip
            who = server.enrol("Console")
            store = open_store(Path(tmp) / "console.sqlite3", terminal_id=who.terminal_id)
            console = start_console(store, server.base, who.token, sound=Silent(), name="Demo")
            window = console.window
            window.resize(1366, 768)  # the smallest screen the console is made for
            window.show()
            wait_until(lambda: window.panel.model.rowCount() == 8, 15)
            chosen = window.panel.model.order(2).order_id
            window.panel.select(chosen)
            wait_until(lambda: window.detail.order is not None, 15)
            window.detail.buttons[OrderAction.ACCEPT].click()
            wait_until(lambda: window.detail.order is not None
                       and window.detail.order.state.value != "new", 15)  # fmt: skip
            settle(0.4)
            path = out or f"docs/screenshots/console{'_ru' if lang == 'ru' else ''}.png"
            window.grab().save(path)
            print(f"saved {path}")
            window.detail.buttons[OrderAction.VOID].click()  # the question (issue 20 point 4)
            wait_until(lambda: window.confirmation is not None, 15)
            settle(0.4)
            asked = path.replace("console", "console-confirm", 1) if out is None else (
                path.replace(".png", "-confirm.png"))  # fmt: skip
            screen = app.primaryScreen()
            screen.grabWindow(0).save(asked)  # the whole screen: the window and its question
            print(f"saved {asked}")
            if window.confirmation is not None:
                window.confirmation.reject()
            console.close()
        finally:
            server.stop()
    del kept
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
