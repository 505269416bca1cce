"""The till's log files and crash reports, in its data folder, for support.

Every ``pos-app`` command that works on a data folder (the table in ``pos_app/app.py`` says
which) writes ``DATA/logs/<command>.log`` (rotated at 1 MB, 5 old files kept, so the folder
stays under ~12 MB per command), warnings also on stderr as before. An exception nobody caught -
on the main thread (``sys.excepthook``, which is also where an exception in a Qt slot goes),
on any other thread (``threading.excepthook``) - and a fatal Qt message are logged at CRITICAL
and written whole to ``DATA/logs/crash-<UTC time>-<pid>.txt``; a hard crash of the process
(a segfault in a driver) leaves Python's ``faulthandler`` traceback in ``DATA/logs/fault.log``.
``pos-app diagnostics`` packs the folder for support (``commands/diagnostics.py``).
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import platform
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

LOGS_FOLDER = "logs"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(process)d %(threadName)s %(name)s: %(message)s"
CRASH_PREFIX = "crash-"


class UtcFormatter(logging.Formatter):
    """ISO times in UTC with milliseconds, whatever the till's zone (times are stored in UTC)."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"


class CrashFileHandler(logging.Handler):
    """Writes each CRITICAL record with its traceback to a file of its own."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(logging.CRITICAL)
        self.data_dir = data_dir
        self.setFormatter(UtcFormatter(FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        if not self.data_dir.is_dir():  # nothing of this till on disk yet: stderr has it
            return
        try:
            folder = _logs_folder(self.data_dir)
            stamp = datetime.fromtimestamp(record.created, UTC).strftime("%Y%m%dT%H%M%S%fZ")
            path = folder / f"{CRASH_PREFIX}{stamp}-{record.process}.txt"
            header = (f"pos-app {' '.join(sys.argv[1:])}\npython {platform.python_version()} "
                      f"on {platform.platform()}\n\n")  # fmt: skip
            path.write_text(header + self.format(record) + "\n", encoding="utf-8")
        except Exception:  # a crash report must never raise in its turn
            self.handleError(record)


class DataFolderLog(logging.handlers.RotatingFileHandler):
    """The command's log file, opened once the data folder exists: a command refused before
    it made its folder (a wrong server URL) leaves no folder behind. Records from before are
    kept (up to ``PENDING``) and written first."""

    PENDING = 1_000

    def __init__(self, data_dir: Path, name: str, max_bytes: int, backups: int) -> None:
        super().__init__(logs_dir(data_dir) / name, maxBytes=max_bytes, backupCount=backups,
                         encoding="utf-8", delay=True)  # fmt: skip
        self.data_dir = data_dir
        self.pending: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if self.stream is None:
            if not self.data_dir.is_dir():
                if len(self.pending) < self.PENDING:
                    self.pending.append(record)
                return
            _logs_folder(self.data_dir)
        self.write_pending()
        super().emit(record)

    def write_pending(self) -> None:
        if not self.pending or not self.data_dir.is_dir():
            return
        _logs_folder(self.data_dir)
        pending, self.pending = self.pending, []
        for record in pending:
            super().emit(record)


def _logs_folder(data_dir: Path) -> Path:
    folder = logs_dir(data_dir)
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)  # guests' names and phones may appear in messages
    return folder


@dataclass
class TillLogging:
    """What ``start_logging`` installed; ``stop()`` takes it all back (tests run several
    commands in one process)."""

    folder: Path
    handlers: list[logging.Handler]
    previous_level: int
    previous_hooks: tuple[Any, Any]
    fault_file: IO[str] | None = None
    stopped: bool = field(default=False)

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        root = logging.getLogger()
        for handler in self.handlers:
            if isinstance(handler, DataFolderLog):
                handler.write_pending()  # the command has made its folder by now
            root.removeHandler(handler)
            handler.close()
        root.setLevel(self.previous_level)
        sys.excepthook, threading.excepthook = self.previous_hooks
        if self.fault_file is not None:
            faulthandler.disable()
            self.fault_file.close()


def logs_dir(data_dir: Path) -> Path:
    return data_dir / LOGS_FOLDER


def start_logging(
    data_dir: Path, program: str, *, max_bytes: int = MAX_BYTES, backups: int = BACKUPS
) -> TillLogging:
    """Log ``program`` (the command's name) to ``DATA/logs`` and install the crash hooks.

    Nothing is created before the command makes its data folder (``DataFolderLog``).
    """
    folder = logs_dir(data_dir)
    file_handler = DataFolderLog(data_dir, f"{program.replace(' ', '-')}.log", max_bytes,
                                 backups)  # fmt: skip
    file_handler.setFormatter(UtcFormatter(FORMAT))
    file_handler.setLevel(logging.INFO)
    stderr_handler = logging.StreamHandler(sys.stderr)
    stderr_handler.setLevel(logging.WARNING)  # what reached stderr before there were log files
    stderr_handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    handlers: list[logging.Handler] = [file_handler, stderr_handler, CrashFileHandler(data_dir)]
    root = logging.getLogger()
    previous_level = root.level
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    installed = TillLogging(folder, handlers, previous_level,
                            (sys.excepthook, threading.excepthook))  # fmt: skip
    sys.excepthook = _main_thread_hook(installed.previous_hooks[0])
    threading.excepthook = _thread_hook(installed.previous_hooks[1])
    # else someone wants it elsewhere (python -X faulthandler); a new folder: from next time
    if not faulthandler.is_enabled() and data_dir.is_dir():
        _logs_folder(data_dir)
        installed.fault_file = (folder / "fault.log").open("a", encoding="utf-8")
        faulthandler.enable(installed.fault_file, all_threads=True)
    logging.getLogger("pos_app").info(
        "pos-app %s started: %s, python %s, %s, pid %d", program, _version(),
        platform.python_version(), platform.platform(), os.getpid(),
    )  # fmt: skip
    return installed


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"tillkeeper {version('tillkeeper')}"
    except PackageNotFoundError:
        return "tillkeeper (not installed)"


ExceptHook = Any  # sys.excepthook's and threading.excepthook's types differ


def _main_thread_hook(previous: ExceptHook) -> ExceptHook:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            logging.getLogger("pos_app.crash").critical(
                "uncaught exception", exc_info=(kind, value, tb)
            )
        previous(kind, value, tb)

    return hook


def _thread_hook(previous: ExceptHook) -> ExceptHook:
    def hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not SystemExit:
            name = args.thread.name if args.thread is not None else "?"
            exc_info = (args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)
            logging.getLogger("pos_app.crash").critical(
                "uncaught exception in thread %s", name, exc_info=exc_info
            )
        previous(args)

    return hook
