"""The till window: sign-in, then the selling screen (catalogue | guest, basket, totals).

Keyboard- and scanner-first: the wedge key hook turns scanner bursts into readings routed by
the scan router (a scan while a dialog is open goes to ``ui/till/dialog_scans.py``); F3
searches the catalogue, F4 finds a guest by phone or code, F12 takes payment, Del removes the
selected line, Up/Down and the keypad's +/− are ``ui/till/keyboard.py``'s; Tab reaches every
button (a click never takes the focus from the search field); F7/F8/Shift+F8/F11 are the
discounts, price change and refund of ``ui/till/manager_flow.py`` (a manager's PIN when the
cashier's role lacks the right), F5 (or the status bar's red count) the manager's list of
operations the server did not accept.
Shift+F7 sets the order's bonus settings, Shift+F4 resets the guest's points holds on the
server (``ui/till/loyalty_flow.py``); Ctrl+I shows or hides the guest's details; Ctrl+G (or
the guest panel's button) opens the guest card (``ui/till/guest_card.py``); Ctrl+K is the
promo «Client» action, a card by phone (``ui/till/subscription.py``); Ctrl+N the full
form for a new guest (``ui/till/new_guest.py``).

Composed, not inherited: the window builds the panels, the till controller (the session) and
one object per flow - ``shift``, ``payment``, ``guests``, ``manager``, ``loyalty`` - each
given the context, the controller and the window as its screen (``ui/till/flow.py``), and binds
the keys to them. Every service call goes through the op runner; an operation says what it
changed and the panels observing the controller refresh themselves (``ui/till/changes.py``).
Core events (sync state, device readings, printed receipts) arrive through the one bridge.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.screen_look import ScreenLook
from pos_app.ui.bridge import CoreBridge
from pos_app.ui.key_hook import Reading, as_reading, rejection_message
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.scan_router import DEFAULT_RULES, ScanRouter, promo_rules
from pos_app.ui.theme import TOUCH_ROW_HEIGHT, style_sheet
from pos_app.ui.till import dialog_scans, orders_tab
from pos_app.ui.till.basket import ROW_HEIGHT, BasketPanel
from pos_app.ui.till.catalogue import CataloguePanel
from pos_app.ui.till.controller import TillController
from pos_app.ui.till.guest_flow import GuestFlow
from pos_app.ui.till.guest_panel import GuestPanel
from pos_app.ui.till.keyboard import SellingKeys
from pos_app.ui.till.loyalty_flow import LoyaltyFlow
from pos_app.ui.till.manager_flow import ManagerFlow
from pos_app.ui.till.messages import cashier_text
from pos_app.ui.till.payment_flow import PaymentFlow
from pos_app.ui.till.ports import Catalogue, ServiceHolder, SignedInStaff, TillExtras
from pos_app.ui.till.shift_flow import ShiftFlow
from pos_app.ui.till.signin import SignInDialog
from pos_app.ui.till.status import (
    ConnectionBanner,
    DeviceStatusLabel,
    SyncProblemsButton,
    SyncStatusLabel,
)
from pos_app.ui.till.subscription import SubscriptionFlow
from pos_app.ui.till.totals import TotalsPanel

if TYPE_CHECKING:
    from pos_app.services.dto import SaleView
    from pos_app.ui.till.changes import OpChanges, Session
    from pos_app.ui.till.orders_tab import OrdersTabs

log = logging.getLogger(__name__)
IDLE_FLUSH_MS = 30_000
AFTER_FIRST_FRAME_MS = 30  # heavy start-up work waits until the PIN dialog is drawn
RIGHT_PANEL_WIDTH = 540


@dataclass
class TillContext:
    """What the composition root hands the window."""

    services: ServiceHolder
    runner: OpRunner
    bridge: CoreBridge
    venue_name: str = ""
    extras: TillExtras = field(default_factory=TillExtras)


class TillWindow(QMainWindow):
    venue_did_change = Signal(str)  # the venue's name as the store has it (the display's too)
    venue_zone: tzinfo | None = None  # the venue's time zone once the store is open
    _zone_sync: object = None  # the sync (its last_sync) after which the zone was last read
    _zone_pending = False

    def __init__(self, context: TillContext) -> None:
        super().__init__()
        self.setObjectName("tillWindow")
        self.setWindowTitle(self.tr("Till"))
        self.ctx = context
        self.staff: SignedInStaff | None = None
        self.look = ScreenLook()  # as the style sheet was set at start (build_till)
        self.sign_in_dialog: SignInDialog | None = None
        self.orders_tabs: OrdersTabs | None = None
        self._shown_sale_id: str | None = None
        rules = (*promo_rules(context.extras.promo_prefixes), *DEFAULT_RULES)
        self.controller = TillController(
            context.services, context.runner, ScanRouter(rules), parent=self
        )
        self.catalogue = CataloguePanel()
        self.basket = BasketPanel()
        self.guest_panel = GuestPanel()
        self.totals = TotalsPanel()
        self.banner = QLabel("")
        self.banner.setObjectName("messageBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.sync_status = SyncStatusLabel()
        self.device_status = DeviceStatusLabel()
        self.statusBar().addPermanentWidget(self.device_status)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.sync_problems = SyncProblemsButton()
        self.statusBar().addPermanentWidget(self.sync_problems)
        self.sync_status.setText(self.tr("offline — not enrolled with a server"))
        c = self.controller
        self.shift = ShiftFlow(context, c, self)
        self.manager = ManagerFlow(context, c, self, self.basket, self.sync_problems)
        self.loyalty = LoyaltyFlow(context, c, self, self.manager)
        self.payment = PaymentFlow(context, c, self, self.manager)
        self.guests = GuestFlow(context, c, self)
        self.subscription = SubscriptionFlow(context, c, self)  # seed 003: link, «Client»
        self.subscription.start()
        self._build()
        self._connect()
        self._shortcuts()
        self._flush_timer = QTimer(self)
        self._flush_timer.setInterval(IDLE_FLUSH_MS)
        self._flush_timer.timeout.connect(self._idle_flush)
        self._flush_timer.start()

    # --- layout --------------------------------------------------------------------------

    def _header(self) -> QWidget:
        """Venue, cashier, the shift button and the clock."""
        header = QWidget()
        header.setObjectName("header")
        top = QHBoxLayout(header)
        self.venue = QLabel(self.ctx.venue_name or self.tr("Till"))
        self.venue.setObjectName("venueName")
        self.connection_banner = ConnectionBanner()
        self.cashier = QLabel("")
        self.cashier.setObjectName("cashierName")
        self.clock = QLabel("")
        self.shift_button = QPushButton(self.tr("Shift (F9)"))
        self.shift_button.setObjectName("shiftButton")
        self.shift_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.shift_button.clicked.connect(self.shift.show)
        top.addWidget(self.venue)
        top.addSpacing(16)
        top.addWidget(self.connection_banner)
        top.addStretch(1)
        top.addWidget(self.cashier)
        top.addSpacing(12)
        top.addWidget(self.shift_button)
        self.refund_button = QPushButton(self.tr("Refund (F11)"))
        self.refund_button.setObjectName("shiftButton")
        self.refund_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.refund_button.clicked.connect(self.manager.ask_refund)
        top.addWidget(self.refund_button)
        self.sign_out_button = QPushButton(self.tr("Sign out"))
        self.sign_out_button.setObjectName("shiftButton")
        self.sign_out_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.sign_out_button.clicked.connect(self.sign_out)
        top.addWidget(self.sign_out_button)
        top.addSpacing(24)
        top.addWidget(self.clock)
        return header

    def _build(self) -> None:
        header = self._header()
        self.pay_button = QPushButton(self.tr("Pay (F12)"))
        self.pay_button.setObjectName("payCashButton")
        self.find_button = QPushButton(self.tr("Find guest (F4)"))
        self.find_button.setObjectName("findGuestButton")
        self.cancel_button = QPushButton(self.tr("Cancel sale"))
        self.cancel_button.setObjectName("cancelSaleButton")
        self.promo_button = QPushButton(self.tr("Promo code (F6)"))
        self.promo_button.setObjectName("promoButton")
        self.discount_button = QPushButton(self.tr("Discount (F7)"))
        self.discount_button.setObjectName("promoButton")
        for button in (self.pay_button, self.find_button, self.promo_button, self.cancel_button,
                       self.discount_button):  # fmt: skip
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        actions = QGridLayout()  # two rows: four labels do not fit one in Russian
        actions.addWidget(self.find_button, 0, 0)
        actions.addWidget(self.promo_button, 0, 1)
        actions.addWidget(self.discount_button, 1, 0)
        actions.addWidget(self.cancel_button, 1, 1)
        right = QVBoxLayout()
        right.addWidget(self.guest_panel)
        right.addWidget(self.basket, 1)
        right.addWidget(self.banner)
        right.addWidget(self.totals)
        right.addLayout(actions)
        right.addWidget(self.pay_button)
        body = QHBoxLayout()
        body.addWidget(self.catalogue, 1)
        right_host = QWidget()
        right_host.setLayout(right)
        right_host.setFixedWidth(RIGHT_PANEL_WIDTH)
        body.addWidget(right_host)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(header)
        inner = QWidget()
        inner.setLayout(body)
        outer.addWidget(inner, 1)
        self.setCentralWidget(central)
        self.keys = SellingKeys(self, central, self.catalogue.search, self.basket,
                                lambda: self.orders_tabs is None
                                or self.orders_tabs.currentIndex() == 0)  # fmt: skip
        self._show_sale(None)
        self._tick_clock()

    def _connect(self) -> None:
        c = self.controller
        self.catalogue.product_chosen.connect(c.add_product)
        self.basket.step_requested.connect(c.step_quantity)
        self.basket.quantity_requested.connect(c.set_quantity)
        self.basket.removal_requested.connect(c.remove_line)
        for panel in (self, self.basket, self.totals, self.guest_panel):
            c.observe(panel)  # each refreshes itself from what an operation changed
        c.sale_did_close.connect(self.totals.sale_closed)
        self.guest_panel.card_button.clicked.connect(self.open_guest_card)
        c.message_did_arrive.connect(self.show_message)
        self.pay_button.clicked.connect(self.payment.pay)
        self.find_button.clicked.connect(self.guests.find_guest)
        self.cancel_button.clicked.connect(self.payment.cancel_sale)
        self.promo_button.clicked.connect(self.guests.ask_promo)
        self.discount_button.clicked.connect(self.manager.ask_order_discount)
        bridge = self.ctx.bridge
        bridge.sync_did_change_state.connect(self.sync_status.show_state)
        bridge.sync_did_change_state.connect(self.connection_banner.show_state)
        bridge.sync_did_change_state.connect(self._reread_zone)
        bridge.sync_did_change_state.connect(self.sync_problems.show_state)
        self.sync_problems.clicked.connect(self.manager.show_sync_problems)
        bridge.scan_did_arrive.connect(self._device_event)
        bridge.receipt_did_print.connect(self._receipt_printed)
        bridge.device_did_change_state.connect(self.device_status.show_status)
        clock = QTimer(self)
        clock.setInterval(10_000)
        clock.timeout.connect(self._tick_clock)
        clock.start()

    def _shortcuts(self) -> None:
        for key, slot in (
            ("F3", self.catalogue.search.setFocus),
            ("F4", self.guests.find_guest),
            ("F6", self.guests.ask_promo),
            ("F9", self.shift.show),
            ("F12", self.payment.pay),
            ("F7", self.manager.ask_order_discount),
            ("F8", self.manager.ask_line_discount),
            ("Shift+F8", self.manager.ask_price),
            ("F11", self.manager.ask_refund),
            ("Shift+F7", self.loyalty.ask_bonus_settings),
            ("Shift+F4", self.loyalty.ask_reset_holds),
            ("F5", self.manager.show_sync_problems),
            ("Del", self.basket.remove_selected),
            ("F2", self.basket.ask_quantity),
            ("Ctrl+Up", self.basket.increase),
            ("Ctrl+Down", self.basket.decrease),
            ("Ctrl+I", self.guest_panel.toggle_details),
            ("Ctrl+G", self.open_guest_card),
            ("Ctrl+K", self.subscription.ask_client_card),
            ("Ctrl+N", self.guests.new_guest),
        ):
            QShortcut(QKeySequence(key), self, slot)

    # --- sign-in and start -------------------------------------------------------------

    def start(self) -> None:
        """Ask for a PIN at once; the store opens and the catalogue loads meanwhile, on the
        op worker, once the dialog is up (so they do not compete with drawing it)."""
        self.sign_in()
        QTimer.singleShot(AFTER_FIRST_FRAME_MS, self._open_store)

    def _open_store(self) -> None:
        services = self.ctx.services

        def load() -> tuple[Catalogue, tzinfo | None, str, ScreenLook]:  # opens the store
            opened = services.get()
            return opened.catalogue.load(), opened.venue_zone, opened.venue_name, opened.look

        self.ctx.runner.run(load, self._store_opened, self.show_error)

    def _store_opened(self, loaded: tuple[Catalogue, tzinfo | None, str, ScreenLook]) -> None:
        catalogue, zone, venue, look = loaded
        self.apply_look(look)
        self.venue.setText(venue or self.ctx.venue_name or self.tr("Till"))
        self.venue_did_change.emit(self.venue.text())
        self._zone_read(zone)
        self._catalogue_loaded(catalogue)

    def apply_look(self, look: ScreenLook) -> None:
        """The font size and touch mode from the settings (the whole app's style sheet; the
        basket's rows, which the sheet cannot size). Nothing is redrawn if they are as now."""
        if look == self.look:
            return
        self.look = look
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setStyleSheet(style_sheet(look.font_px, look.touch))
        self.basket.set_row_height(TOUCH_ROW_HEIGHT if look.touch else ROW_HEIGHT)

    def _reread_zone(self, state: object) -> None:
        """After a sync that pulled (``last_sync`` moved), read the shop's zone and the venue's
        name again on the op worker: the feed may have brought the server's (a new till starts
        on the default; the back office may have renamed the venue)."""
        last_sync = getattr(state, "last_sync", None)
        if self.venue_zone is None or last_sync == self._zone_sync or self._zone_pending:
            return
        self._zone_sync, self._zone_pending = last_sync, True
        services = self.ctx.services

        def read() -> tuple[tzinfo | None, str]:
            return services.get().venue_time.zone_and_venue()

        def done(read_now: tuple[tzinfo | None, str]) -> None:
            self._zone_pending = False
            zone, venue = read_now
            if venue and venue != self.venue.text():
                self.venue.setText(venue)
                self.venue_did_change.emit(venue)
            self._zone_read(zone)

        def failed(error: Exception) -> None:
            self._zone_pending = False
            self._failed(error)

        self.ctx.runner.run(read, done, failed)

    def _zone_read(self, zone: tzinfo | None) -> None:
        if zone == self.venue_zone and zone is not None:
            return
        self.venue_zone = self.sync_status.zone = self.connection_banner.zone = zone
        self._tick_clock()
        if self.sync_status.state is not None:
            self.sync_status.show_state(self.sync_status.state)
            self.connection_banner.show_state(self.sync_status.state)

    def sign_in(self) -> None:
        self.sign_in_dialog = SignInDialog(_Staff(self.ctx.services), self.ctx.runner, self)
        self.sign_in_dialog.signed_in.connect(self._signed_in)
        self.sign_in_dialog.rejected.connect(self._sign_in_refused)
        self.sign_in_dialog.open()
        log.info("the sign-in dialog is shown")  # the till's log: it started (tests/packaging)

    def _signed_in(self, staff: SignedInStaff) -> None:
        self.staff = staff
        self.cashier.setText(self.tr("Cashier: %1").replace("%1", staff.name))
        self.catalogue.search.setFocus()
        services = self.ctx.services

        def shift_open() -> bool:
            return services.get().shifts.current() is not None

        def offer(is_open: bool) -> None:
            if not is_open:
                self.shift.show()  # start of the day: count the drawer and open the shift

        self.ctx.runner.run(shift_open, offer, self._failed)

    def sign_out(self) -> None:
        """Hand the till to the next cashier: the open sale stays, the PIN is asked again."""
        self.staff = None
        self.cashier.setText("")
        self.sign_in()

    def _sign_in_refused(self) -> None:
        if self.staff is None:
            self.close()

    def _catalogue_loaded(self, catalogue: Catalogue) -> None:
        self.catalogue.set_catalogue(catalogue)

    # --- reactions ----------------------------------------------------------------------

    def handle_reading(self, reading: Reading) -> None:
        """A scanner or card reading from the key hook or a serial/HID reader."""
        dialog = self.sign_in_dialog
        if dialog is not None and dialog.isVisible():
            # A staff badge scanned, or a PIN typed fast and ended with Enter (a burst the
            # decoder cannot tell from a scanner): either way it is the PIN.
            if reading.kind == "barcode" and reading.data.isdigit() and 4 <= len(reading.data) <= 8:
                dialog.pin.setText(reading.data)
                dialog.submit()
            return
        if self.manager.dialog_takes(reading.kind, reading.data):
            return
        if self.staff is None:
            return  # nobody signed in: readings are not sales
        in_front = dialog_scans.open_dialog(self)
        if in_front is not None:  # no change behind a dialog unless it means something there
            dialog_scans.take(self, in_front, reading)
            return
        self.hide_message()
        self.controller.handle_reading(reading)

    def _device_event(self, event: object) -> None:
        reading = as_reading(event)
        if reading is not None:
            self.handle_reading(reading)
            return
        message = rejection_message(event)
        if message is not None:
            self.reading_rejected(message)

    def reading_rejected(self, message: str) -> None:
        del message  # the device's English sentence; the cashier reads the translated one
        self.show_message(self.tr("Card not read — swipe again."), "error")

    def op_executed(self, changes: OpChanges, session: Session) -> None:
        """The window's own part of the sale: its buttons, and a new sale's clean slate."""
        if changes.sale:
            self._show_sale(session.sale)

    def _show_sale(self, sale: SaleView | None) -> None:
        if sale is not None and sale.sale_id != self._shown_sale_id:
            self.hide_message()  # a new sale: the previous one's banner and change go
            self.totals.clear_change()
        self._shown_sale_id = sale.sale_id if sale is not None else None
        self.pay_button.setEnabled(sale is not None and sale.due > 0)
        self.cancel_button.setEnabled(sale is not None)
        self.discount_button.setEnabled(sale is not None)

    def _receipt_printed(self, result: object) -> None:
        if getattr(result, "ok", True):
            self.statusBar().showMessage(self.tr("Receipt printed"), 5000)
        else:
            detail = str(getattr(result, "message", ""))
            self.show_message(self.tr("The receipt did not print: %1").replace("%1", detail))

    # --- till + console ----------------------------------------------------------------

    def ensure_orders_tabs(self) -> OrdersTabs:
        """The tabs of a till + console terminal (made on first use; a plain till has none)."""
        if self.orders_tabs is None:
            self.orders_tabs = orders_tab.install(self)
        return self.orders_tabs

    def open_guest_card(self) -> None:
        """Ctrl+G: the identified guest's card (``ui/till/guest_card.py``)."""
        from pos_app.ui.till.guest_card import open_guest_card

        open_guest_card(self)

    # --- messages, clock, idle ----------------------------------------------------------

    def show_message(self, text: str, level: str = "error") -> None:
        self.banner.setText(text)
        self.banner.setProperty("level", level)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.show()

    def hide_message(self) -> None:
        self.banner.hide()

    def _failed(self, error: Exception) -> None:
        self.show_message(cashier_text(error))

    def show_error(self, error: Exception) -> None:
        """A failure the cashier must see wherever they are (the store did not open)."""
        self._failed(error)
        if self.sign_in_dialog is not None:
            self.sign_in_dialog.error.setText(cashier_text(error))

    def _tick_clock(self) -> None:
        now = datetime.now(UTC).astimezone(self.venue_zone)  # None: the computer's zone
        self.clock.setText(now.strftime("%d.%m.%Y  %H:%M"))

    def _flush(self) -> None:
        """On the op worker: write open sales' basket edits to disk (if the store is open)."""
        try:
            flush = self.ctx.services.get().flush
        except Exception:
            return  # the store never opened: nothing to write
        flush()

    def _idle_flush(self) -> None:
        if not self.ctx.runner.busy:
            self.ctx.runner.run(self._flush)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._flush_timer.isActive():  # once, while the runner runs
            self.ctx.runner.run(self._flush)
        self._flush_timer.stop()
        super().closeEvent(event)


class _Staff:
    """Sign-in through the staff service once the store is open (called on the op worker)."""

    def __init__(self, services: ServiceHolder) -> None:
        self._services = services

    def sign_in(self, pin: str) -> SignedInStaff:
        return self._services.get().staff.sign_in(pin)
