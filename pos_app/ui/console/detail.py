"""One order in full: guest and points balance, items (deliver one by one), note, ready-by,
payment intent and what was paid or owed, and the seed-001 workflow buttons.

A button is enabled exactly when ``pos_app.domain.orders.allowed_actions`` allows the action
for the order as this console knows it, and - for the online-only actions - when the console
is online. The widget only requests actions (signals); the window runs them.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.orders import OrderAction, OrderState, PaymentMethod
from pos_app.services.orders import (
    ONLINE_ONLY,
    BalanceInfo,
    OrderView,
    PointsInfo,
    can_queue,
)
from pos_app.ui.console.orders_model import clock, method_text, money, state_text
from pos_app.ui.console.orders_model import points as points_text

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class OrderDetail(QWidget):
    """Requests: ``action_requested(order_id, action, line_id, method)``."""

    action_requested = Signal(str, str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order: OrderView | None = None
        self.online = True
        self.busy = False  # an action is being confirmed or is in flight: every button waits
        self.zone: tzinfo | None = None  # the venue's, set by the window once loaded
        self.title = QLabel(self.tr("Select an order"))
        self.title.setObjectName("detailTitle")
        self.state = QLabel()
        self.state.setObjectName("stateChip")
        self.fields = {
            name: QLabel()
            for name in (
                "guest",
                "points",
                "balance",
                "placed",
                "ready",
                "method",
                "note",
                "paid",
                "debt",
            )
        }
        form = QFormLayout()
        labels = {"guest": self.tr("Guest"), "points": self.tr("Points balance"),
                  "balance": self.tr("Balance account"),
                  "placed": self.tr("Placed"), "ready": self.tr("Ready by"),
                  "method": self.tr("Payment intent"), "note": self.tr("Note"),
                  "paid": self.tr("Paid"), "debt": self.tr("Debt")}  # fmt: skip
        for name, label in labels.items():
            self.fields[name].setWordWrap(True)
            self.fields[name].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, self.fields[name])
        self.lines = self._lines_table()
        self.message = QLabel()
        self.message.setObjectName("actionMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.state, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(form)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons())
        self.show_order(None)

    def _lines_table(self) -> QTableWidget:
        table = QTableWidget(0, 4)
        table.setObjectName("orderLines")
        table.setHorizontalHeaderLabels(
            [self.tr("Item"), self.tr("Qty"), self.tr("Amount"), self.tr("Delivered")]
        )
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.itemSelectionChanged.connect(self._refresh_buttons)
        return table

    def _buttons(self) -> QFrame:
        frame = QFrame()
        grid = QGridLayout(frame)
        grid.setContentsMargins(0, 4, 0, 0)
        texts = {
            OrderAction.ACCEPT: self.tr("Accept"),
            OrderAction.CANCEL: self.tr("Cancel order"),
            OrderAction.DELIVER: self.tr("Deliver item"),
            OrderAction.PAY: self.tr("Pay"),
            OrderAction.COMPLETE: self.tr("Complete"),
            OrderAction.VOID: self.tr("Void"),
        }
        self.buttons: dict[OrderAction, QPushButton] = {}
        for action, text in texts.items():
            button = QPushButton(text)
            button.setObjectName(f"{action.value}Button")
            button.clicked.connect(lambda _=False, a=action: self._request(a))
            self.buttons[action] = button
        self.method = QComboBox()
        self.method.setObjectName("payMethod")
        for method in PaymentMethod:
            self.method.addItem(method_text(method), method.value)
        self.method.currentIndexChanged.connect(self._refresh_buttons)
        order = [OrderAction.ACCEPT, OrderAction.DELIVER, OrderAction.PAY, OrderAction.COMPLETE,
                 OrderAction.CANCEL, OrderAction.VOID]  # fmt: skip
        for i, action in enumerate(order):
            grid.addWidget(self.buttons[action], i // 3, i % 3)
        grid.addWidget(QLabel(self.tr("Method")), 2, 0, alignment=RIGHT)
        grid.addWidget(self.method, 2, 1, 1, 2)
        self.buttons[OrderAction.ACCEPT].setDefault(True)
        return frame

    def selected_line(self) -> str | None:
        rows = self.lines.selectionModel().selectedRows()
        if self.order is None or not rows:
            return None
        return self.order.lines[rows[0].row()].line_id

    def _request(self, action: OrderAction) -> None:
        if self.order is None:
            return
        line = self.selected_line() if action is OrderAction.DELIVER else None
        method = self.method.currentData() if action is OrderAction.PAY else ""
        self.action_requested.emit(self.order.order_id, action.value, line or "", method or "")

    def set_busy(self, busy: bool) -> None:
        """While an action is asked about or in flight nothing else can be pressed: a double
        click never sends two actions, and never one to the order shown after the first."""
        self.busy = busy
        self._refresh_buttons()

    def set_online(self, online: bool) -> None:
        self.online = online
        self._refresh_buttons()

    def show_message(self, text: str, *, warning: bool = True) -> None:
        self.message.setProperty("warning", warning)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def show_order(
        self,
        order: OrderView | None,
        points: PointsInfo | None = None,
        balance: BalanceInfo | None = None,
    ) -> None:
        """Show ``order`` (None: nothing selected); keeps the selected item if it is the same
        order, so an update from the stream does not lose the operator's place."""
        shown = self.order
        same = order is not None and shown is not None and order.order_id == shown.order_id
        keep_line = self.selected_line() if same else None
        if not same:
            self.show_message("")
        self.order = order
        if order is None:
            self.title.setText(self.tr("Select an order"))
            self.state.hide()
            for label in self.fields.values():
                label.setText("")
            self.lines.setRowCount(0)
            self._refresh_buttons()
            return
        self.title.setText(self.tr("Order {0}").format(order.label))
        self.state.setText(state_text(order.state))
        self.state.show()
        self.state.setProperty("state", order.state.value)
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)
        self._fill_fields(order, points)
        self.fields["balance"].setText(
            (money(balance.total) if balance.total >= 0
             else self.tr("{0} owed").format(money(-balance.total)))
            if balance else self.tr("not known on this console"))  # fmt: skip
        self._fill_lines(order, keep_line)
        index = self.method.findData(order.method.value)
        self.method.setCurrentIndex(max(index, 0))
        self._refresh_buttons()

    def show_points(self, points: PointsInfo | None) -> None:
        self.fields["points"].setText(
            self.tr("{0} available ({1} held)").format(points_text(points.available),
                                                       points_text(points.held))
            if points else self.tr("not known on this console"))  # fmt: skip

    def _fill_fields(self, order: OrderView, points: PointsInfo | None) -> None:
        self.fields["guest"].setText(order.guest_label)  # the name; the id only if none is known
        self.show_points(points)
        placed = order.placed_at.astimezone(self.zone).strftime("%d.%m.%Y %H:%M")
        self.fields["placed"].setText(placed)
        self.fields["ready"].setText(clock(order.ready_by, self.zone))
        intent = method_text(order.method)
        if order.points_hold_amount:
            intent += self.tr(", {0} in points held").format(points_text(order.points_hold_amount))
        self.fields["method"].setText(intent)
        self.fields["note"].setText(order.note or "–")
        paid = order.paid_money + order.paid_points
        text = self.tr("{0} of {1}").format(money(paid), money(order.total))
        if order.discount:
            text += self.tr(" (group discount {0})").format(money(order.discount))
        if order.accrual:
            text += self.tr(", {0} earned").format(points_text(order.accrual))
        self.fields["paid"].setText(text)
        self.fields["debt"].setText(money(order.debt) if order.debt else "–")

    def _fill_lines(self, order: OrderView, keep_line: str | None) -> None:
        self.lines.setRowCount(len(order.lines))
        for row, line in enumerate(order.lines):
            cells = [
                line.name + (self.tr(" (points)") if line.in_points else ""),
                str(line.quantity),
                money(line.amount),
                "✓" if line.delivered else "",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (1, 2):
                    item.setTextAlignment(RIGHT)
                if col == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.lines.setItem(row, col, item)
            if line.line_id == keep_line:
                self.lines.selectRow(row)
        if keep_line is None or not self._selected_line_undelivered():
            pending = _next_undelivered(order, keep_line)
            if pending is not None and order.state in (OrderState.ACCEPTED, OrderState.PAID):
                self.lines.selectRow(pending)

    def _selected_line_undelivered(self) -> bool:
        line, order = self.selected_line(), self.order
        if line is None or order is None:
            return False
        return not any(ln.delivered for ln in order.lines if ln.line_id == line)

    def _refresh_buttons(self) -> None:
        allowed = self.order.allowed if self.order is not None and not self.busy else frozenset()
        data = self.method.currentData()
        method = PaymentMethod(data) if data else None
        for action, button in self.buttons.items():
            # offline: what may be queued (a delivery; a cash or card payment) stays possible
            reachable = self.online or action not in ONLINE_ONLY or can_queue(action, method)
            enabled = action in allowed and reachable
            if action is OrderAction.DELIVER and enabled:
                enabled = self._selected_line_undelivered()
            button.setEnabled(enabled)
            if action in allowed and not reachable:
                button.setToolTip(self.tr("Needs the server: the console is offline."))
            else:
                button.setToolTip("")
        self.method.setEnabled(OrderAction.PAY in allowed)


def _next_undelivered(order: OrderView, after: str | None) -> int | None:
    """The row to hand over next: the first undelivered line after ``after`` (the one just
    delivered), else the first undelivered one of the order."""
    rows = [i for i, ln in enumerate(order.lines) if not ln.delivered]
    start = next((i for i, ln in enumerate(order.lines) if ln.line_id == after), -1)
    return next((i for i in rows if i > start), rows[0] if rows else None)
