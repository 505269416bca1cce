"""The first run of ``pos-app till``: when the wizard is shown, and running it.

The wizard (``ui/setup``) is shown when the data folder has no store, or a store that was
never enrolled and whose installer did not choose "work without a server" (``setup.offline``),
unless the till was started with ``--server URL --enrol-code CODE`` (enrolled without asking)
or ``--no-setup``. The check reads the settings table with the standard library's ``sqlite3``,
read-only, so the till's start stays quick (the storage layer loads on the op worker,
docs/architecture.md "Till window"). The wizard's work is done by
``commands/first_run_setup.py``.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import shiboken6
from PySide6.QtWidgets import QApplication

from pos_app.commands.store_factory import store_path

log = logging.getLogger(__name__)

OFFLINE_KEY = "setup.offline"  # the installer chose to work without a server for now
ENROLLED_KEY = "sync.terminal_id"  # = sync_runtime.TERMINAL_KEY (that module is heavy to import)


def needs_setup(directory: str | Path | None) -> bool:
    """No store yet, or a store never enrolled and not told to work offline."""
    path = store_path(directory)
    if not path.exists():
        return True
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            rows = dict(conn.execute("SELECT key, value FROM settings WHERE key IN (?, ?)",
                                     (ENROLLED_KEY, OFFLINE_KEY)).fetchall())  # fmt: skip
        finally:
            conn.close()
    except sqlite3.Error as exc:  # an old or damaged store: the till's own start says what
        log.warning("the first-run check could not read %s: %s", path, exc)
        return False
    return not (_truthy(rows.get(ENROLLED_KEY)) or _truthy(rows.get(OFFLINE_KEY)))


def _truthy(raw: str | None) -> bool:
    if raw is None:
        return False
    try:
        return bool(json.loads(raw))
    except ValueError:
        return bool(raw)


def run_wizard(directory: str | Path | None, app: QApplication) -> bool:
    """Show the wizard until it is finished (True: open the till) or closed (False)."""
    from pos_app.commands.first_run_setup import DataFolderSetup
    from pos_app.ui.op_runner import OpRunner
    from pos_app.ui.setup.wizard import SetupWizard

    setup, runner = DataFolderSetup(directory), OpRunner()
    wizard = SetupWizard(setup, runner)
    outcome: list[bool] = []

    def completed(open_till: bool) -> None:
        outcome.append(open_till)
        app.quit()

    wizard.completed.connect(completed)
    wizard.resize(900, 680)
    wizard.show()
    wizard.start()
    app.exec()
    runner.run(setup.close)  # after the wizard's last op, on the same worker
    runner.shutdown(wait=True)
    # The widgets and the runner sit in reference cycles (slots that capture them), so Python
    # would free them whenever its cyclic collector runs - on any thread, the till's op worker
    # included, and Qt objects must die on the GUI thread. Deleted here, on it, now.
    shiboken6.delete(wizard)
    shiboken6.delete(runner)
    log.info("first-run wizard %s", "finished" if outcome and outcome[0] else "closed")
    return bool(outcome and outcome[0])
