"""The till's second tab on a till + console terminal: the incoming guest orders.

The selling screen stays the first tab; the operator console's window (built by the
composition root on the till's own store, see ``commands/till_console.py``) is embedded as the
second, its tab title carrying the number of orders waiting to be accepted so the cashier sees
new orders without leaving the sale. F10 switches between the two. A till that cannot show
orders (not enrolled with a server) says why in that tab instead of showing an empty panel.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

SWITCH_KEY = "F10"


class OrdersTabs(QTabWidget):
    """Tab 0: the selling screen; tab 1: the incoming orders (or why there are none)."""

    def __init__(self, selling: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tillTabs")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.addTab(selling, self.tr("Sale"))
        self.orders: QWidget | None = None
        self._waiting: Callable[[], int] = lambda: 0

    def show_console(self, console: QMainWindow, model: QAbstractItemModel,
                     waiting: Callable[[], int]) -> None:  # fmt: skip
        """Embed the console window; the tab title follows ``waiting()`` as the model moves."""
        console.setWindowFlags(Qt.WindowType.Widget)
        self._set_orders(console)
        self._waiting = waiting
        for signal in (model.rowsInserted, model.rowsRemoved, model.dataChanged,
                       model.modelReset):  # fmt: skip
            signal.connect(self.update_title)
        self.update_title()

    def show_not_enrolled(self) -> None:
        self._show_text(self.tr("Guest orders come from the server, and this till is not "
                                "enrolled with one yet. Enrol it (pos-app till --server URL "
                                "--enrol-code CODE) to see them here."))  # fmt: skip

    def show_failed(self, detail: str) -> None:
        self._show_text(self.tr("Guest orders cannot be shown: %1").replace("%1", detail))

    def _show_text(self, reason: str) -> None:
        label = QLabel(reason)
        label.setObjectName("ordersUnavailable")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._set_orders(label)
        self.update_title()

    def _set_orders(self, widget: QWidget) -> None:
        if self.orders is not None:
            self.removeTab(1)
            self.orders.deleteLater()
        self.orders = widget
        self.addTab(widget, "")

    def update_title(self, *_args: object) -> None:
        count = self._waiting()
        title = self.tr("Orders") if not count else self.tr("Orders (%1)").replace("%1", str(count))
        self.setTabText(1, title)

    def switch(self) -> None:
        if self.count() > 1:
            self.setCurrentIndex(1 - self.currentIndex())


def install(window: QMainWindow) -> OrdersTabs:
    """Move ``window``'s central widget into the first tab of a new ``OrdersTabs``."""
    selling = window.takeCentralWidget()
    assert selling is not None, "the window builds its selling screen first"
    tabs = OrdersTabs(selling)
    window.setCentralWidget(tabs)
    QShortcut(QKeySequence(SWITCH_KEY), window, tabs.switch)
    return tabs
