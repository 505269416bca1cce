"""The customer-facing display: a window of its own on the second screen.

What the guest should see while the cashier works: the basket (name, quantity, amount; a time
package's minutes and a bundle's parts as the basket shows them, ``line_text.py``), the
amount to pay in large type, after a cash payment the change, the identified guest's name and
points, and - after a promo sale or the «Client» action, when the server says the guest is not
subscribed to the venue's Telegram bot - the QR code of their one-time subscription link to
scan with a phone (``show_subscription``; seed 003). It observes the till controller like
every panel (``ui/till/changes.py``) and the sale's close; it never takes the focus or a key.

``place`` puts it full-screen on a screen other than the till's; with one screen it opens as a
normal window only when asked for (``pos-app till --customer-display on``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.qr import qr_pixmap
from pos_app.ui.till.format import money, plain, points
from pos_app.ui.till.line_text import line_parts, line_title

if TYPE_CHECKING:
    from pos_app.services.dto import SaleView
    from pos_app.services.guests import GuestPanel as GuestInfo
    from pos_app.services.payments import PaymentResult
    from pos_app.services.subscription import Subscription
    from pos_app.ui.till.changes import OpChanges, Session

QR_SIZE = 220
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class CustomerDisplay(QWidget):
    def __init__(self, venue: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setObjectName("customerDisplay")
        self.setWindowTitle(self.tr("Customer display"))
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)  # the till's window decides
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.venue = QLabel(venue)
        self.venue.setObjectName("displayVenue")
        self.lines = QTableWidget(0, 3)
        self.lines.setObjectName("displayLines")
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines.verticalHeader().hide()
        self.lines.horizontalHeader().hide()
        self.lines.setShowGrid(False)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.guest = QLabel()
        self.guest.setObjectName("displayGuest")
        self.guest.setWordWrap(True)
        self.caption = QLabel()
        self.caption.setObjectName("displayCaption")
        self.total = QLabel()
        self.total.setObjectName("displayTotal")
        self.total.setAlignment(RIGHT)
        self.note = QLabel()
        self.note.setObjectName("displayNote")
        self.note.setWordWrap(True)
        self.qr = QLabel()
        self.qr.setObjectName("displayQr")
        self.qr_caption = QLabel(self.tr("Scan to get your card in the messenger"))
        self.qr_caption.setObjectName("displayQrCaption")
        self.qr_caption.setWordWrap(True)
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_link: str | None = None
        self.qr_guest: str | None = None  # whose link the QR is
        self._shown_guest: str | None = None  # the guest greeted
        self._link: tuple[str | None, str | None] = (None, None)  # the last answer: link, whose
        self._last_guest: GuestInfo | None = None
        self._build()
        self.show_sale(None)
        self.show_guest(None)

    def _build(self) -> None:
        totals = QFrame()
        totals.setObjectName("displayTotals")
        row = QHBoxLayout(totals)
        row.addWidget(self.caption)
        row.addWidget(self.total, 1)
        side = QVBoxLayout()
        side.addWidget(self.guest)
        side.addStretch(1)
        side.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignCenter)
        side.addWidget(self.qr_caption)
        left = QVBoxLayout()
        left.addWidget(self.venue)
        left.addWidget(self.lines, 1)
        left.addWidget(self.note)
        left.addWidget(totals)
        body = QHBoxLayout(self)
        body.setContentsMargins(24, 20, 24, 20)
        body.setSpacing(24)
        body.addLayout(left, 3)
        body.addLayout(side, 1)

    # --- what the till tells it ------------------------------------------------------------

    def op_executed(self, changes: OpChanges, session: Session) -> None:
        closed = self.caption.property("state") == "closed"
        if changes.sale:
            self.show_sale(session.sale)
        if changes.guest or (closed and session.sale is not None):  # a new sale: a clean slate
            self.show_guest(session.guest)

    def show_sale(self, sale: SaleView | None) -> None:
        """The open sale; with none, what the last sale left (the change) stays until the
        next sale starts."""
        if sale is None and self.caption.property("state") == "closed":
            return
        lines = sale.lines if sale is not None else ()
        self.lines.setRowCount(len(lines))
        for row, line in enumerate(lines):
            name = line_title(line)  # as the basket names it; a bundle's parts under it
            if line.parts:
                name = f"{name}\n{line_parts(line)}"
            cells = (name, f"  × {line.quantity}  ", "  " + plain(line.total))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(RIGHT)
                self.lines.setItem(row, col, item)
            self.lines.resizeRowToContents(row)  # a bundle's row is as tall as its parts
        if lines:
            self.lines.scrollToBottom()
        self._state("sale")
        self.caption.setText(self.tr("To pay"))
        self.total.setText(money(sale.due if sale is not None else 0))
        discount = sale.discount if sale is not None else 0
        self.note.setText(self.tr("Your discount: %1").replace("%1", money(discount))
                          if discount else "")  # fmt: skip
        self.note.setVisible(bool(discount))

    def show_guest(self, guest: GuestInfo | None) -> None:
        """The guest's greeting, points and QR (kept with the thanks after their sale)."""
        if guest is not None:
            self._last_guest = guest
        if guest is None:
            self.guest.setText(self.tr("Welcome!"))
        else:
            self.guest.setText(
                self.tr("Hello, %1!\nYour points: %2")
                .replace("%1", guest.name)
                .replace("%2", points(guest.points_available))
            )
        self._shown_guest = guest.guest_id if guest is not None else None
        link, owner = self._link
        self._show_qr(link if guest is not None and guest.guest_id == owner else None, owner)

    def show_subscription(self, state: Subscription) -> None:
        """The server's answer for the guest of the sale just closed (or of the «Client»
        action): their link's QR code while they are not subscribed, until the next guest or
        sale. An answer about someone other than the guest greeted is not shown."""
        self._link = (state.link if state.needs_link else None, state.guest_id)
        if self._shown_guest in (None, state.guest_id):
            self._show_qr(*self._link)

    def _show_qr(self, link: str | None, guest_id: str | None) -> None:
        """The QR of ``link`` (a link is for its guest only: the greeting decides)."""
        self.qr_link, self.qr_guest = link, guest_id
        if link:
            self.qr.setPixmap(qr_pixmap(link, QR_SIZE))
        self.qr.setVisible(bool(link))
        self.qr_caption.setVisible(bool(link))

    def sale_closed(self, result: PaymentResult) -> None:
        """Thanks, the change to take (after cash) and the points the sale earns."""
        sale = result.sale
        self._state("closed")
        last = self._last_guest
        if sale.guest is not None and last is not None and last.guest_id == sale.guest.guest_id:
            self.show_guest(last)  # their points and QR stay with the thanks
        cash = any(p.method == "cash" for p in sale.payments)
        if cash:
            self.caption.setText(self.tr("Your change"))
            self.total.setText(money(sale.change))
        else:
            self.caption.setText(self.tr("Paid"))
            self.total.setText(money(sale.total))
        parts = [self.tr("Thank you!")]
        if result.accrual_estimate:
            parts.append(self.tr("Points for this purchase: %1").replace(
                "%1", points(result.accrual_estimate)))  # fmt: skip
        self.note.setText("  ".join(parts))
        self.note.show()

    def _state(self, state: str) -> None:
        for label in (self.caption, self.total):
            if label.property("state") != state:
                label.setProperty("state", state)
                label.style().unpolish(label)
                label.style().polish(label)


def place(display: CustomerDisplay, main: QWidget, *, force: bool) -> bool:
    """Show ``display`` full-screen on a screen other than ``main``'s; with only one screen,
    as a normal window if ``force``. Whether it is shown."""
    screens = QGuiApplication.screens()
    own = main.screen()
    others = [s for s in screens if s is not own]
    if others:
        display.setGeometry(others[0].geometry())
        display.showFullScreen()
        return True
    if force:
        display.resize(1024, 600)
        display.show()
        return True
    return False
