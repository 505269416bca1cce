"""Screenshots of the first-run wizard, with a real server on loopback::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m tests.ui.make_setup_screenshot

A ``pos-server run`` with the demo catalogue; a fresh data folder on a box without a keyring
(the token goes to a 0600 file, and the window says so). Saves ``setup-code-expired.png`` (an
expired code typed: the sentence saying what to do), ``setup-venue.png`` (enrolled by the
scanned QR link, the venue's data from the feed) and ``setup-devices.png``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import keyring
from keyring.backends import fail
from PySide6.QtWidgets import QApplication

from pos_app.commands.first_run_setup import DataFolderSetup
from pos_app.domain.enrol_link import format_enrol_link
from pos_app.ui.i18n import install_translators
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.setup.wizard import SetupWizard
from pos_app.ui.theme import STYLE_SHEET
from tests.sync.conftest import new_code
from tests.sync.faultproxy import ServerProcess
from tests.ui.make_screenshots import OUT, settle, wait_until
from tests.ui.test_setup_wizard import ROOT, expired_code


def shoot(widget: SetupWizard, name: str) -> None:
    settle(0.5)
    widget.grab().save(str(OUT / f"setup-{name}.png"))
    print(f"saved {OUT / f'setup-{name}.png'}")


def main(lang: str = "ru") -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    keyring.set_keyring(fail.Keyring())
    translators = install_translators(app, lang)  # noqa: F841 - kept alive
    app.setStyleSheet(STYLE_SHEET)
    with tempfile.TemporaryDirectory() as tmp, ServerProcess(
        f"sqlite:///{tmp}/server.sqlite3", Path(tmp)
    ) as server:
        subprocess.run([sys.executable, "-m", "pos_server.cli", "catalogue", "import",
                        str(ROOT / "pos_server/demo_data/catalogue.json"), "--db",
                        server.db_url], check=True, capture_output=True)  # fmt: skip
        setup, runner = DataFolderSetup(Path(tmp) / "till"), OpRunner()
        wizard = SetupWizard(setup, runner)
        wizard.resize(900, 680)
        wizard.show()
        wizard.start()
        page = wizard.connect_page
        wait_until(lambda: bool(page.token_note.text()))
        page.server.setText(server.url)
        page.code.setText(expired_code(server.db_url))
        page.connect_button.click()
        wait_until(lambda: page.connect_button.isEnabled() and bool(page.message.text()), 30)
        shoot(wizard, "code-expired")
        page.link.setText(format_enrol_link(server.url, new_code(server.db_url, "Касса у бара")))
        page.read_link()
        wait_until(lambda: "·" in wizard.venue_page.details.text(), 60)
        wizard.venue_page.venue_name.setText("Кофейня Зерно")
        shoot(wizard, "venue")
        wizard.venue_page.next_button.click()
        wait_until(lambda: wizard.devices_page.settings is not None, 30)
        wait_until(lambda: "\n" in wizard.devices_page.found.text(), 30)
        wizard.devices_page.scan_field.setText("4607001234567")
        wizard.devices_page.scan_field.returnPressed.emit()
        shoot(wizard, "devices")
        runner.run(setup.close)
        runner.shutdown(wait=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
