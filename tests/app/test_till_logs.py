"""The till's log files and crash reports in its data folder (issue 23 point 4)."""

from __future__ import annotations

import logging
import logging.handlers
import subprocess
import sys
from pathlib import Path

from pos_app.commands.till_logs import start_logging


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


def crash_reports(data: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((data / "logs").glob("crash-*.txt"))]


def test_a_command_on_a_data_folder_writes_its_log_there(tmp_path: Path) -> None:
    """The folder is new: what was logged before the command made it is written too."""
    data = tmp_path / "till"
    done = subprocess.run([sys.executable, "-m", "pos_app.app", "demo-data", "--data-dir",
                           str(data)], capture_output=True, text=True, timeout=120,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    log = (data / "logs" / "demo-data.log").read_text(encoding="utf-8")
    assert "pos-app demo-data started: tillkeeper" in log
    assert "Running upgrade" in log  # the store's migrations, logged by alembic
    assert (data / "logs").stat().st_mode & 0o077 == 0


_UNCAUGHT = """
import sys
from pathlib import Path
from pos_app.commands.till_logs import start_logging
start_logging(Path(sys.argv[1]), "till")
def pay():
    raise RuntimeError("the drawer is on fire")
pay()
"""


def test_an_uncaught_exception_leaves_a_crash_report(tmp_path: Path) -> None:
    done = python(_UNCAUGHT, str(tmp_path))
    assert done.returncode == 1
    assert "RuntimeError: the drawer is on fire" in done.stderr  # the default hook still runs
    (report,) = crash_reports(tmp_path)
    assert "CRITICAL" in report and "uncaught exception" in report
    assert 'in pay\n' in report and "RuntimeError: the drawer is on fire" in report
    log = (tmp_path / "logs" / "till.log").read_text(encoding="utf-8")
    assert "RuntimeError: the drawer is on fire" in log


_THREAD = """
import sys, threading
from pathlib import Path
from pos_app.commands.till_logs import start_logging
start_logging(Path(sys.argv[1]), "till")
def work():
    raise ValueError("the printer answered nonsense")
thread = threading.Thread(target=work, name="print-worker")
thread.start()
thread.join()
print("main thread goes on")
"""


def test_an_exception_on_another_thread_leaves_a_crash_report(tmp_path: Path) -> None:
    done = python(_THREAD, str(tmp_path))
    assert done.returncode == 0 and "main thread goes on" in done.stdout
    (report,) = crash_reports(tmp_path)
    assert "uncaught exception in thread print-worker" in report
    assert "ValueError: the printer answered nonsense" in report


_QT = """
import sys
from pathlib import Path
from PySide6.QtCore import qFatal, qWarning
from pos_app.commands.till_logs import start_logging
from pos_app.ui.application import install_qt_message_handler
start_logging(Path(sys.argv[1]), "till")
install_qt_message_handler()
qWarning("a font is missing")
qFatal("the GPU went away")
"""


def test_qt_messages_are_logged_and_a_fatal_one_leaves_a_crash_report(tmp_path: Path) -> None:
    done = python(_QT, str(tmp_path))
    assert done.returncode != 0  # qFatal aborts the process
    log = (tmp_path / "logs" / "till.log").read_text(encoding="utf-8")
    assert "WARNING" in log and "qt: a font is missing" in log
    (report,) = crash_reports(tmp_path)
    assert "CRITICAL" in report and " qt: " in report  # PySide6 hides a Python qFatal's text


def test_the_log_rotates_and_keeps_a_bounded_number_of_files(tmp_path: Path) -> None:
    logs = start_logging(tmp_path, "till-sim", max_bytes=2_000, backups=2)
    try:
        for i in range(200):
            logging.getLogger("pos_app.sync").info("batch %d sent", i)
    finally:
        logs.stop()
    names = sorted(p.name for p in (tmp_path / "logs").glob("till-sim.log*"))
    assert names == ["till-sim.log", "till-sim.log.1", "till-sim.log.2"]
    assert all((tmp_path / "logs" / n).stat().st_size <= 2_200 for n in names)
    assert "batch 199 sent" in (tmp_path / "logs" / "till-sim.log").read_text(encoding="utf-8")
    rotating = logging.handlers.RotatingFileHandler
    assert not any(isinstance(h, rotating) for h in logging.getLogger().handlers)  # stop()
