"""The one ``QApplication`` of a till, console or settings window: the app's icon, and Qt's own
messages sent to the log (``commands/till_logs.py`` writes them to the data folder; a fatal
one is logged at CRITICAL, which saves a crash report, before Qt ends the process)."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from pos_app.resources import icon_path

log = logging.getLogger("qt")
_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    where = f" ({context.file}:{context.line})" if context.file else ""
    log.log(_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def install_qt_message_handler() -> None:
    qInstallMessageHandler(qt_message)


def application() -> QApplication:
    """The running ``QApplication`` (tests make one), else a new one with the app's icon."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(QIcon(str(icon_path())))
    install_qt_message_handler()
    return app
