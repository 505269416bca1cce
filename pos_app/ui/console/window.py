"""The operator console window: incoming orders with the selected order's detail, and history.

Orders reach it from the stream's thread through ``ConsoleSignals`` (queued signals); the
window collects everything that arrives during one event-loop turn and applies it in one go
(one row insert, one badge update, one sound), so a burst of orders never stalls the screen.
Every service call (load, act, history) goes through the ``OpRunner``: the GUI thread never
waits on the database or the network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QTabWidget, QWidget

from pos_app.domain.errors import DomainError
from pos_app.domain.orders import OrderAction, OrderState, PaymentMethod
from pos_app.services.orders import (
    ActionOutcome,
    BalanceInfo,
    ConsoleOrders,
    ConsoleSettings,
    HistoryQuery,
    OrderView,
    PointsInfo,
)
from pos_app.ui.console.alerts import AlertSound, NewOrderAlert
from pos_app.ui.console.confirm import CONFIRMED, ActionConfirmation, lost_race_text
from pos_app.ui.console.detail import OrderDetail
from pos_app.ui.console.history import HistoryPanel
from pos_app.ui.console.orders_model import OrdersModel, state_text
from pos_app.ui.console.panel import IncomingPanel
from pos_app.ui.console.style import STYLE
from pos_app.ui.op_runner import OpRunner


class ConsoleSignals(QObject):
    """Core events as signals; ``on_*`` may be called from any thread."""

    orders_did_arrive = Signal(object)  # Sequence[OrderView], fresh changes only
    stream_did_change_state = Signal(object)  # the stream's status: .online, .since

    def on_orders(self, orders: Sequence[OrderView]) -> None:
        if orders:
            self.orders_did_arrive.emit(tuple(orders))

    def on_status(self, status: Any) -> None:
        self.stream_did_change_state.emit(status)


class ConsoleWindow(QMainWindow):
    def __init__(
        self,
        service: ConsoleOrders,
        runner: OpRunner,
        signals: ConsoleSignals,
        sound: AlertSound,
        *,
        name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service, self.runner = service, runner
        self.setWindowTitle(self.tr("Operator console") + (f" — {name}" if name else ""))
        self.setObjectName("consoleWindow")
        self.setStyleSheet(STYLE)
        self.model = OrdersModel(keep=lambda o: o.active)
        self.panel = IncomingPanel(self.model)
        self.detail = OrderDetail()
        self.history = HistoryPanel()
        self.alert = NewOrderAlert(sound, lambda: self.model.count(OrderState.NEW), self)
        self._pending: list[OrderView] = []
        self._selected: str | None = None
        self._points: PointsInfo | None = None
        self._balance: BalanceInfo | None = None
        self.ready = False
        self.zone: tzinfo | None = None  # the venue's clock, once loaded; till then the computer's
        self._online: tuple[bool, datetime | None, str | None] = (False, None, None)
        self._build()
        self._connect(signals)
        self.set_online(False, None)
        runner.run(lambda: (service.active(), service.settings(), service.venue_zone()),
                   self._loaded, self._failed)  # fmt: skip

    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.panel)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 420])
        splitter.setContentsMargins(8, 8, 8, 4)
        self.history.setContentsMargins(8, 8, 8, 4)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("consoleTabs")
        self.tabs.addTab(splitter, self.tr("Incoming"))
        self.tabs.addTab(self.history, self.tr("History"))
        self.setCentralWidget(self.tabs)
        self.connection = QLabel()
        self.connection.setObjectName("connection")
        self.statusBar().addPermanentWidget(self.connection)

    def _connect(self, signals: ConsoleSignals) -> None:
        self.signals = signals  # the bridge lives as long as the window
        signals.orders_did_arrive.connect(self.receive)
        signals.stream_did_change_state.connect(
            lambda status: self.set_online(bool(status.online), status.since, status.error)
        )
        self.panel.order_selected.connect(self._select)
        self.panel.acknowledged.connect(self.alert.acknowledge)
        self.panel.settings_changed.connect(self._save_settings)
        self.alert.alerting_changed.connect(lambda _: self._update_badge())
        self.detail.action_requested.connect(self._act)
        self.history.query_changed.connect(self._query)
        self.history.order_selected.connect(self._select)
        self.tabs.currentChanged.connect(lambda i: self.history.refresh() if i == 1 else None)

    # -- loading and live updates
    def _loaded(self, result: tuple[Sequence[OrderView], ConsoleSettings, tzinfo]) -> None:
        orders, settings, zone = result
        self.zone = self.detail.zone = zone
        self.model.set_zone(zone)
        self.history.set_zone(zone)
        self.model.replace_all(orders)
        self._show_connection()
        self.panel.load_settings(settings)
        self.alert.apply(settings)
        self._update_badge()
        self.ready = True
        if self._pending:
            self._flush()

    def receive(self, orders: Sequence[OrderView]) -> None:
        """Queue the changes; they are applied once per event-loop turn."""
        first = not self._pending
        self._pending.extend(orders)
        if first and self.ready:
            QTimer.singleShot(0, self._flush)

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        at_bottom = self._scrolled_to_bottom()
        added = self.model.apply(pending)
        placed = sum(1 for o in added if o.state is OrderState.NEW)
        self.alert.new_orders(placed)
        self.alert.check()
        self._update_badge()
        if added and at_bottom:
            self.panel.view.scrollToBottom()
        if self.tabs.currentIndex() == 1:  # the history on screen follows the changes
            self.history.refresh_soon()
        if self._selected is not None:
            latest = next((o for o in reversed(pending) if o.order_id == self._selected), None)
            if latest is not None:
                self.detail.show_order(latest, self._points, self._balance)
                self._withdraw_question(latest)
                self._reload_accounts(latest.order_id)

    def _reload_accounts(self, order_id: str) -> None:
        """The change may have brought the guest's points and balance (it carries them):
        read them from the cache again, off the GUI thread."""
        if not self.closed:
            self.runner.run(lambda: self.service.detail(order_id), self._detail_loaded)

    def _withdraw_question(self, latest: OrderView) -> None:
        """The order changed under an open question so that the action no longer applies
        (another console or a till acted first): close it and say who did what."""
        asked = self.confirmation
        if asked is None or asked.order_id != latest.order_id or asked.action in latest.allowed:
            return
        asked.reject()
        self.detail.show_message(lost_race_text(latest))

    def _scrolled_to_bottom(self) -> bool:
        bar = self.panel.view.verticalScrollBar()
        return bar.value() >= bar.maximum() - 2

    def _update_badge(self) -> None:
        self.panel.set_waiting(self.model.count(OrderState.NEW), self.alert.alerting)

    def set_online(self, online: bool, since: datetime | None, error: str | None = None) -> None:
        self._online = online, since, error
        self._show_connection()

    def _show_connection(self) -> None:
        online, since, error = self._online
        self.detail.set_online(online)
        self.connection.setToolTip(error or "")  # the technical reason, for a technician
        when = since.astimezone(self.zone).strftime("%H:%M") if since else "–"
        self.connection.setText(self.tr("Online") if online else
                                self.tr("Offline since {0}").format(when))  # fmt: skip
        self.connection.setProperty("online", online)
        self.connection.style().unpolish(self.connection)
        self.connection.style().polish(self.connection)

    # -- selection and detail
    def _select(self, order_id: str) -> None:
        self.alert.acknowledge()
        self._selected = order_id
        self._points = None
        self._balance = None
        row = self.model.row_of(order_id)
        order = self.model.order(row) if row is not None else None
        if order is None:
            row = self.history.model.row_of(order_id)
            order = self.history.model.order(row) if row is not None else None
        self.detail.show_order(order)
        self.runner.run(lambda: self.service.detail(order_id), self._detail_loaded)

    def _detail_loaded(
        self, result: tuple[OrderView | None, PointsInfo | None, BalanceInfo | None]
    ) -> None:
        order, points, balance = result
        if order is None or order.order_id != self._selected:
            return
        self._points, self._balance = points, balance
        shown = self.detail.order
        self.detail.show_order(order if shown is None or order.version >= shown.version
                               else shown, points, balance)  # fmt: skip

    # -- actions
    def _act(self, order_id: str, action: str, line_id: str, method: str) -> None:
        """One operator action. Cancel, void, pay and complete are asked about first, naming
        the order (``confirm.py``); from the click until the answer every button is disabled,
        so a double click acts once and only on the order that was clicked."""
        if self.closed or self.detail.busy:
            return
        chosen = OrderAction(action)
        pay_by = PaymentMethod(method) if method else None
        shown = self.detail.order
        self.detail.set_busy(True)
        if chosen in CONFIRMED and shown is not None and shown.order_id == order_id:
            dialog = ActionConfirmation(chosen, shown, pay_by, self)
            self.confirmation = dialog
            dialog.accepted.connect(lambda: self._send(order_id, chosen, line_id, pay_by))
            dialog.rejected.connect(lambda: self.detail.set_busy(False))
            dialog.finished.connect(lambda _: setattr(self, "confirmation", None))
            dialog.open()
            return
        self._send(order_id, chosen, line_id, pay_by)

    confirmation: ActionConfirmation | None = None  # the question on screen, if any
    # set by a till sharing this console's store: it takes an order's payment as a till sale
    # (its payment dialog, receipt and shift; ``ui/till/order_payment.py``) instead of
    # ``order.paid``
    pay_at_till: Callable[[str], None] | None = None

    def _send(self, order_id: str, action: OrderAction, line_id: str,
              method: PaymentMethod | None) -> None:  # fmt: skip
        if self.closed:
            return
        # an order holding the guest's points (seed 001 "P add to order") too: the till sale
        # pays its lines in points from that hold (services/order_hold_payment.py)
        if action is OrderAction.PAY and self.pay_at_till is not None:
            self.detail.set_busy(False)
            self.detail.show_message(self.tr("Payment is taken at the till: the sale screen "
                                             "shows the order."), warning=False)  # fmt: skip
            self.pay_at_till(order_id)
            return
        self.detail.show_message(self.tr("Sending…"), warning=False)
        self.runner.run(
            lambda: self.service.act(order_id, action, line_id=line_id or None, method=method),
            self._acted, self._action_failed,
        )  # fmt: skip

    def _action_failed(self, error: Exception) -> None:
        self.detail.set_busy(False)
        self._failed(error)

    def _acted(self, outcome: ActionOutcome) -> None:
        self.detail.set_busy(False)
        if outcome.order is not None:
            self._show_current(outcome.order)
        if outcome.status == "applied":
            self.detail.show_message("")
        elif outcome.status == "queued":
            self.detail.show_message(self.tr("Saved on this console; it will be sent when the "
                                             "server is reachable."), warning=False)  # fmt: skip
        elif outcome.status == "conflict" and outcome.order is not None:
            self.detail.show_message(lost_race_text(outcome.order))
        else:
            self.detail.show_message(self.tr("The server refused: {0}").format(outcome.message))

    def _show_current(self, order: OrderView) -> None:
        """Show an action's result unless the stream already brought a later version (the
        server's ``version`` counts the order's changes; the stream may overtake the answer)."""
        shown = self.detail.order
        if shown is not None and shown.order_id == order.order_id and (
            order.version >= shown.version
        ):
            self.detail.show_order(order, self._points, self._balance)
        row = self.model.row_of(order.order_id)
        if row is not None and self.model.order(row).version <= order.version:
            self.model.apply([order])
            self._update_badge()

    def _failed(self, error: Exception) -> None:
        code = getattr(error, "code", "")
        if code == "action_needs_server":
            text = self.tr("Offline: this action needs the server's answer. Try again when "
                           "the console is back online.")  # fmt: skip
        elif code == "illegal_order_action" and isinstance(error, DomainError):
            state = error.details.get("state", "")
            shown = self.detail.order
            if shown is not None and shown.order_id == error.details.get("order_id") and (
                shown.state.value == state
            ):  # the stream already brought the winner's change: name the winner
                self.detail.show_message(lost_race_text(shown))
                return
            text = self.tr("Not possible any more: the order is {0}.").format(
                state_text(OrderState(state)).lower() if state else "?"
            )
        else:
            text = self.tr("Something went wrong: {0}").format(error)
        self.detail.show_message(text)

    def shutdown(self) -> None:
        """Stop timers and stop asking the runner for work (it is shutting down)."""
        self.closed = True
        self.ready = False
        self.alert.acknowledge()
        self.history.stop()
        self.signals.orders_did_arrive.disconnect(self.receive)

    closed = False

    # -- settings and history
    def _save_settings(self, settings: ConsoleSettings) -> None:
        self.alert.apply(settings)
        self.runner.run(lambda: self.service.save_settings(settings), None, self._failed)

    def _query(self, query: HistoryQuery) -> None:
        if self.closed:
            return
        self.runner.run(lambda: self.service.history(query), self.history.show_results,
                        self._failed)  # fmt: skip
