"""Order history: filter by state and by the day placed, search by guest (name, phone, id).

Typing is debounced (250 ms) and every query runs off the GUI thread; the results replace the
model in one reset, so thousands of rows cost one repaint of the visible ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, tzinfo

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.orders import OrderState
from pos_app.domain.venue_clock import day_start
from pos_app.services.orders import HistoryQuery, OrderView
from pos_app.ui.console.orders_model import OrdersModel, state_text
from pos_app.ui.console.panel import configure_table


class HistoryPanel(QWidget):
    """Signals: ``query_changed(HistoryQuery)``, ``order_selected(order_id)``."""

    query_changed = Signal(object)
    order_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = OrdersModel()
        self.zone: tzinfo | None = None  # whole days by the venue's clock (set_zone)
        self.state = QComboBox()
        self.state.setObjectName("historyState")
        self.state.addItem(self.tr("All states"), "")
        for state in OrderState:
            self.state.addItem(state_text(state), state.value)
        today = QDate.currentDate()
        self.since = self._date_edit("historySince", today.addDays(-30))
        self.until = self._date_edit("historyUntil", today)
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText(self.tr("Search by guest name, phone or id"))
        self.search.setClearButtonEnabled(True)
        self.found = QLabel()
        self.found.setObjectName("historyCount")
        bar = QHBoxLayout()
        for widget in (QLabel(self.tr("State")), self.state, QLabel(self.tr("From")),
                       self.since, QLabel(self.tr("To")), self.until):  # fmt: skip
            bar.addWidget(widget)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.found)
        self.view = QTableView()
        self.view.setObjectName("historyOrders")
        self.view.setModel(self.model)
        configure_table(self.view)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.state.currentIndexChanged.connect(self.refresh)
        self.since.dateChanged.connect(self.refresh)
        self.until.dateChanged.connect(self.refresh)

    def _date_edit(self, name: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        return edit

    def query(self) -> HistoryQuery:
        """The filters as a query: whole local days, ``until`` inclusive."""
        state = self.state.currentData()
        since = _local_midnight(self.since.date(), self.zone)
        until = _local_midnight(self.until.date().addDays(1), self.zone)  # 23 h or 25 h: DST
        return HistoryQuery(frozenset({OrderState(state)}) if state else frozenset(),
                            since, until, self.search.text())  # fmt: skip

    def set_zone(self, zone: tzinfo | None) -> None:
        """The venue's clock decides the days: "today" and the days a query covers are the
        shop's, whatever time zone the console's computer is in."""
        self.zone = zone
        self.model.set_zone(zone)
        today = _qdate(datetime.now(UTC).astimezone(zone).date())
        for edit, day in ((self.since, today.addDays(-30)), (self.until, today)):
            edit.blockSignals(True)  # no query per date: one below, if the history is shown
            edit.setDate(day)
            edit.blockSignals(False)
        if self.isVisible():  # otherwise the window queries when its tab is opened
            self.refresh()

    def refresh_soon(self) -> None:
        """Refresh after the debounce delay (a burst of changes costs one query)."""
        self._debounce.start()

    def stop(self) -> None:
        self._debounce.stop()
        self.search.textChanged.disconnect(self._debounce.start)

    def refresh(self) -> None:
        self.query_changed.emit(self.query())

    def show_results(self, orders: Sequence[OrderView]) -> None:
        self.model.replace_all(orders)
        self.found.setText(self.tr("%n order(s)", "", len(orders)))

    def _current_changed(self, current: object, _previous: object) -> None:
        index = self.view.selectionModel().currentIndex()
        if index.isValid():
            self.order_selected.emit(self.model.order(index.row()).order_id)


def _local_midnight(day: QDate, zone: tzinfo | None = None) -> datetime:
    """The UTC moment a day starts on the venue's clock (``zone`` None: the computer's)."""
    when = date(day.year(), day.month(), day.day())
    if zone is not None:
        return day_start(when, zone)
    return datetime.combine(when, time.min).astimezone().astimezone(UTC)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
