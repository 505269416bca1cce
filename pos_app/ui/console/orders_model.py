"""Table models of orders: the incoming panel (kept up to date change by change) and the
history (replaced by each query). One ``QAbstractTableModel`` each, never a widget per row, so
a thousand orders cost a thousand small tuples and the view paints only what is visible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from pos_app.domain.money import format_money
from pos_app.domain.orders import OrderState, PaymentMethod
from pos_app.services.orders import OrderView

Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
STATE_COLOURS = {
    OrderState.NEW: "#c0392b", OrderState.ACCEPTED: "#2471a3", OrderState.PAID: "#1e8449",
    OrderState.COMPLETED: "#5d6d7e", OrderState.CANCELLED: "#7f8c8d",
    OrderState.VOIDED: "#7f8c8d",
}  # fmt: skip


def money(kopecks: int) -> str:
    """``123450`` -> ``1 234,50 ₽``: the till's format (``pos_app.domain.money``), so an order
    reads the same on the console as on the receipt and the till."""
    return format_money(kopecks)


def points(hundredths: int) -> str:
    """Points with the points unit (``860,00 б.``), never the rouble sign: as on the till."""
    return QCoreApplication.translate("ConsoleOrders", "{0} pts").format(
        format_money(hundredths, currency=""))


def clock(moment: datetime | None, zone: tzinfo | None = None) -> str:
    """``zone``: the venue's (``services/venue_time.py``); None, the computer's."""
    return moment.astimezone(zone).strftime("%H:%M") if moment else "–"


def state_text(state: OrderState) -> str:
    return {
        OrderState.NEW: QCoreApplication.translate("ConsoleOrders", "New"),
        OrderState.ACCEPTED: QCoreApplication.translate("ConsoleOrders", "Accepted"),
        OrderState.PAID: QCoreApplication.translate("ConsoleOrders", "Paid"),
        OrderState.COMPLETED: QCoreApplication.translate("ConsoleOrders", "Completed"),
        OrderState.CANCELLED: QCoreApplication.translate("ConsoleOrders", "Cancelled"),
        OrderState.VOIDED: QCoreApplication.translate("ConsoleOrders", "Voided"),
    }[state]


def method_text(method: PaymentMethod) -> str:
    return {
        PaymentMethod.CASH: QCoreApplication.translate("ConsoleOrders", "Cash"),
        PaymentMethod.CARD: QCoreApplication.translate("ConsoleOrders", "Card"),
        PaymentMethod.BALANCE: QCoreApplication.translate("ConsoleOrders", "Balance"),
        PaymentMethod.POINTS: QCoreApplication.translate("ConsoleOrders", "Points"),
    }[method]


def items_text(order: OrderView) -> str:
    return ", ".join(f"{ln.name} ×{ln.quantity}" if ln.quantity > 1 else ln.name
                     for ln in order.lines)  # fmt: skip


def _state_cell(order: OrderView) -> str:
    """The state, with an hourglass while an action queued here waits for the server."""
    return state_text(order.state) + (" ⏳" if order.pending_ops else "")


def _placed(order: OrderView, zone: tzinfo | None) -> str:
    return order.placed_at.astimezone(zone).strftime("%d.%m %H:%M")


Cell = Callable[[OrderView, "tzinfo | None"], str]  # (order, the venue's zone) -> text
COLUMNS: tuple[tuple[str, Cell], ...] = (
    (str(QT_TRANSLATE_NOOP("ConsoleOrders", "No.")), lambda o, _: o.label),
    (str(QT_TRANSLATE_NOOP("ConsoleOrders", "Placed")), _placed),
    (str(QT_TRANSLATE_NOOP("ConsoleOrders", "Guest")), lambda o, _: o.guest_label),
    (str(QT_TRANSLATE_NOOP("ConsoleOrders", "Items")), lambda o, _: items_text(o)),
    (str(QT_TRANSLATE_NOOP("ConsoleOrders", "Total")), lambda o, _: money(o.total)),
    (str(QT_TRANSLATE_NOOP("ConsoleOrders", "Ready by")), lambda o, z: clock(o.ready_by, z)),
    (str(QT_TRANSLATE_NOOP("ConsoleOrders", "Payment")), lambda o, _: method_text(o.method)),
    (str(QT_TRANSLATE_NOOP("ConsoleOrders", "State")), lambda o, _: _state_cell(o)),
)
TOTAL_COLUMN, STATE_COLUMN = 4, 7
WIDTHS = (76, 105, 160, 0, 105, 84, 90, 110)  # px; 0: Items stretches (fits Russian at 1366 px)


class OrdersModel(QAbstractTableModel):
    """Rows of ``OrderView``; ``keep`` decides which orders belong in this table."""

    # emitted before a row leaves, ahead of Qt's own rowsAboutToBeRemoved: the selection model
    # handles that one first and moves the current row to a neighbour (panel._rows_leaving)
    row_leaving = Signal(int)

    def __init__(self, keep: Callable[[OrderView], bool] = lambda o: True) -> None:
        super().__init__()
        self._keep = keep
        self.zone: tzinfo | None = None  # times as the venue's clock shows them (set_zone)
        self._rows: list[OrderView] = []
        self._row_of: dict[str, int] = {}

    # -- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        order = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[column][1](order, self.zone)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == TOTAL_COLUMN:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == STATE_COLUMN:
            return QColor(STATE_COLOURS[order.state])
        if role == Qt.ItemDataRole.ToolTipRole and order.note:
            return order.note
        if role == Qt.ItemDataRole.UserRole:
            return order.order_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("ConsoleOrders", COLUMNS[section][0])
        return None

    def set_zone(self, zone: tzinfo | None) -> None:
        self.zone = zone
        if self._rows:
            last = self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # -- contents
    @property
    def orders(self) -> Sequence[OrderView]:
        return tuple(self._rows)

    def order(self, row: int) -> OrderView:
        return self._rows[row]

    def row_of(self, order_id: str) -> int | None:
        return self._row_of.get(order_id)

    def count(self, state: OrderState) -> int:
        return sum(1 for o in self._rows if o.state is state)

    def replace_all(self, orders: Iterable[OrderView]) -> None:
        self.beginResetModel()
        self._rows = [o for o in orders if self._keep(o)]
        self._reindex()
        self.endResetModel()

    def apply(self, orders: Iterable[OrderView]) -> list[OrderView]:
        """Update changed rows in place, drop rows that no longer belong, append new ones at
        the bottom (one insert for the whole batch). Returns the orders that were appended."""
        added: list[OrderView] = []
        gone: list[int] = []
        for order in orders:
            row = self._row_of.get(order.order_id)
            if row is None:
                if self._keep(order):
                    self._row_of[order.order_id] = -1  # a later change in the batch replaces it
                    added.append(order)
                continue
            if row < 0:
                added = [order if o.order_id == order.order_id else o for o in added]
                continue
            self._rows[row] = order
            if self._keep(order):
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            else:
                gone.append(row)
        added = sorted((o for o in added if self._keep(o)), key=lambda o: (o.placed_at, o.order_id))
        self._remove(gone)
        if added:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(added) - 1)
            self._rows.extend(added)
            self.endInsertRows()
        self._reindex()
        return added

    def _remove(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            self.row_leaving.emit(row)
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def _reindex(self) -> None:
        self._row_of = {o.order_id: i for i, o in enumerate(self._rows)}
