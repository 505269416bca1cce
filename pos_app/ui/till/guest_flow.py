"""Who the sale is for, from the till window: finding a guest (F4) by phone, card, code or
name; a new guest for an unknown card; a promo code (F6). Each dialog only collects what the
cashier chose and hands it to the till controller; a card or promo code scanned into the find
or promo dialog answers it (``ui/till/dialog_scans.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog

from pos_app.ui.till.flow import Screen, TillFlow
from pos_app.ui.till.format import money

if TYPE_CHECKING:
    from pos_app.services.guests import GuestSummary
    from pos_app.ui.main_window import TillContext
    from pos_app.ui.till.controller import TillController
    from pos_app.ui.till.new_guest import NewGuestDialog

translate = QCoreApplication.translate  # literal calls, so lupdate finds the texts


class GuestFlow(TillFlow):
    find_dialog: QInputDialog | None = None  # kept, so a card scanned into it finds the guest
    promo_dialog: QInputDialog | None = None  # likewise a promo code scanned into it
    new_guest_dialog: NewGuestDialog | None = None

    def __init__(self, ctx: TillContext, controller: TillController, screen: Screen) -> None:
        super().__init__(ctx, controller, screen)
        controller.unknown_card.connect(self._unknown_card)
        controller.promo_was_applied.connect(self._promo_applied)

    def find_guest(self) -> None:
        """By phone (any format), card number or code, or a name fragment; a card scanned
        while the dialog is open identifies the guest at once (``dialog_scans``)."""
        dialog = self.find_dialog = QInputDialog(self.parent)
        dialog.setObjectName("findGuestDialog")
        dialog.setWindowTitle(translate("TillWindow", "Find guest"))
        dialog.setLabelText(translate("TillWindow", "Phone, card number, code or name:"))
        dialog.textValueSelected.connect(self._find)
        dialog.open()

    def _find(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        digits = sum(ch.isdigit() for ch in text)
        if digits >= 10 and not any(ch.isalpha() for ch in text):
            self.controller.identify_by_phone(text)
        elif digits and not any(ch.isalpha() and ch not in "QR-" for ch in text.upper()):
            self.controller.identify(text, "manual")
        else:
            self.controller.search_guests(text, self._pick_guest)

    def _pick_guest(self, found: list[GuestSummary]) -> None:
        if not found:
            self.show_message(translate("TillWindow", "No guest found."))
            return
        labels = [f"{g.name} · {', '.join(g.phones) or '—'}" for g in found]
        title = translate("TillWindow", "Find guest")
        prompt = translate("TillWindow", "Guest:")
        label, ok = QInputDialog.getItem(self.parent, title, prompt, labels, 0, False)
        if ok and label in labels:
            guest = found[labels.index(label)]
            self.controller.identify_guest_id(
                guest.guest_id, guest.phones[0] if guest.phones else None
            )

    def _unknown_card(self, identifier: str, method: str) -> None:
        self._new_guest(identifier, method)

    def new_guest(self) -> None:
        """Ctrl+N: the full form for a new guest (name, phone, card), phone checked."""
        self._new_guest(None, "manual")

    def _new_guest(self, identifier: str | None, method: str) -> None:
        from pos_app.ui.till.new_guest import NewGuestDialog

        dialog = self.new_guest_dialog = NewGuestDialog(identifier, self.parent,
                                                        check_phone=self._check_phone)  # fmt: skip

        def create() -> None:
            phone = dialog.phone.text().strip() or None
            card = identifier or dialog.identifier()
            how = method if identifier else dialog.method()
            self.controller.create_guest(dialog.name.text().strip(), phone, card, how)

        dialog.accepted.connect(create)
        dialog.open()

    def _check_phone(self, phone: str, done: Callable[[Any], None]) -> None:
        services = self.ctx.services
        self.ctx.runner.run(lambda: services.get().guests.phone_check(phone), done,
                            lambda _error: done(None))  # fmt: skip

    def ask_promo(self) -> None:
        if self.controller.sale is None:
            self.show_message(translate("TillWindow", "Add something to the basket first."))
            return
        dialog = self.promo_dialog = QInputDialog(self.parent)
        dialog.setObjectName("promoDialog")
        dialog.setWindowTitle(translate("TillWindow", "Promo code"))
        dialog.setLabelText(translate("TillWindow", "The digits of the promo code:"))
        dialog.textValueSelected.connect(
            lambda typed: self.controller.apply_promo(typed.strip()) if typed.strip() else None
        )
        dialog.open()

    def _promo_applied(self, quote: Any) -> None:
        text = (
            translate("TillWindow", "Promo code %1 of %2: %3 off, %4 to pay.")
            .replace("%1", quote.code)
            .replace("%2", quote.owner_name)
            .replace("%3", money(quote.discount))
            .replace("%4", money(quote.to_pay))
        )
        if quote.sale.guest is None:  # seed 003: the buyer gets a card by their phone
            text += "  " + translate("TillWindow", "Ctrl+K: a card for the buyer by phone.")
        self.show_message(text, "info")
