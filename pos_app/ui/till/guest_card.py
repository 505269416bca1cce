"""The guest card dialog (issue 17): Main / Contacts / Identifiers / Accounts / History /
Cabinet tabs (the last: issue 19 point 1, ``guest_card_cabinet.py``).

Every read and change goes through ``services/guest_card.py`` and ``services/guest_history.py``
on the op runner's worker (never the GUI thread); a change the service refuses is said in the
dialog's own line (``messages.cashier_text``) and leaves the form as typed. After a change the
card is drawn again from what the service returns. The tabs are ``guest_card_tabs.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from pos_app.ui.till.guest_card_cabinet import CabinetTab
from pos_app.ui.till.guest_card_tabs import (
    AccountsTab,
    ContactsTab,
    HistoryTab,
    IdentifiersTab,
    MainTab,
)
from pos_app.ui.till.messages import cashier_text

if TYPE_CHECKING:
    from pos_app.services.deposits import DepositService
    from pos_app.services.guest_cabinet import GuestCabinetService
    from pos_app.services.guest_card import Actor, GuestCardService, GuestCardView
    from pos_app.services.guest_history import GuestHistoryService
    from pos_app.services.report_printer import ReportPrinter

translate = QCoreApplication.translate


class Runner(Protocol):
    def run(self, func: Callable[[], Any], on_success: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> None: ...  # fmt: skip


class GuestCardDialog(QDialog):
    """One guest's card; ``by`` is who is signed in (the services check what they may do)."""

    def __init__(
        self, runner: Runner, cards: GuestCardService, history: GuestHistoryService,
        *, by: Actor, guest_id: str, parent: QWidget | None = None,
        deposits: DepositService | None = None, reports: ReportPrinter | None = None,
        cabinet: GuestCabinetService | None = None,
    ) -> None:  # fmt: skip
        """``deposits``: the Accounts tab takes top-ups (None: it does not); ``reports``: the
        printer of the slips (None: none is printed, the tab says so); ``cabinet``: the
        server's cabinet credentials (None: a till without a server, the tab says so)."""
        from pos_app.services.guest_cabinet import GuestCabinetService

        super().__init__(parent)
        self.setObjectName("guestCardDialog")
        self.runner, self.cards, self.by, self.guest_id = runner, cards, by, guest_id
        self.history_service = history
        self.deposits, self.reports = deposits, reports
        self.view: GuestCardView | None = None
        self.setWindowTitle(translate("GuestCard", "Guest card"))
        self.title = QLabel("")
        self.title.setObjectName("guestCardTitle")
        self.tabs = QTabWidget()
        self.main = MainTab(self)
        self.contacts = ContactsTab(self)
        self.identifiers = IdentifiersTab(self)
        self.accounts = AccountsTab(self)
        self.history = HistoryTab(self, history)
        self.cabinet = CabinetTab(self, cabinet or GuestCabinetService())
        for tab, name in ((self.main, translate("GuestCard", "Main")),
                          (self.contacts, translate("GuestCard", "Contacts")),
                          (self.identifiers, translate("GuestCard", "Identifiers")),
                          (self.accounts, translate("GuestCard", "Accounts")),
                          (self.history, translate("GuestCard", "History")),
                          (self.cabinet, translate("GuestCard", "Cabinet"))):  # fmt: skip
            self.tabs.addTab(tab, name)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.message = QLabel("")
        self.message.setObjectName("guestCardMessage")
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(760, 560)
        self.reload()

    def reload(self) -> None:
        guest_id, history = self.guest_id, self.history_service
        self.act(lambda: self.cards.card(guest_id), done=None)
        self.act(self.cards.groups, done=None, then=self.main.set_groups)
        # the open holds are the server's: without it the tab says so, the card opens anyway
        self.runner.run(lambda: history.page(guest_id, "holds"), self.accounts.show_holds,
                        lambda _error: self.accounts.show_holds(None))  # fmt: skip
        self.accounts.load_top_ups()

    def act(self, func: Callable[[], Any], *, done: str | None,
            then: Callable[[Any], None] | None = None) -> None:  # fmt: skip
        """Run ``func`` on the worker; a ``GuestCardView`` it returns is drawn, ``done`` said."""

        def ok(result: Any) -> None:
            from pos_app.services.guest_card import GuestCardView

            if isinstance(result, GuestCardView):
                self.show_card(result)
            if then is not None:
                then(result)
            self.say(done or "")

        self.runner.run(func, ok, self.fail)

    def show_card(self, view: GuestCardView) -> None:
        self.view = view
        self.title.setText(view.name)
        for tab in (self.main, self.contacts, self.identifiers, self.accounts, self.cabinet):
            tab.show_card(view)

    def say(self, text: str, *, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("problem", problem)
        self.message.setStyleSheet("color: #a61b1b;" if problem else "")

    def fail(self, error: BaseException) -> None:
        self.say(cashier_text(error), problem=True)

    def take_reading(self, kind: str, data: str) -> None:
        """A swipe (``msr``) or scan (``barcode``) while the card is open: the Identifiers tab
        with the reading as the new card, its input method set; Add or Replace binds it."""
        self.tabs.setCurrentWidget(self.identifiers)
        self.identifiers.take_reading(kind, data)
        self.say(translate("GuestCard", "Card read: add it, or replace the selected one."))

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.history and not self.history.loaded:
            self.history.load()
        if self.tabs.widget(index) is self.cabinet and not self.cabinet.loaded:
            self.cabinet.load()


def open_guest_card(window: Any) -> None:
    """Ctrl+G or the guest panel's button: the identified guest's card, for whoever is signed in
    (the till window; its services are resolved on the op worker)."""
    guest = window.guest_panel.guest
    if window.staff is None or guest is None:
        window.show_message(translate("GuestCard", "Identify a guest first."), "error")
        return
    services, by, guest_id = window.ctx.services, window.staff, guest.guest_id

    def show(opened: Any) -> None:
        dialog = GuestCardDialog(window.ctx.runner, opened.guest_card, opened.guest_history,
                                 by=by, guest_id=guest_id, parent=window,
                                 deposits=opened.deposits, reports=opened.reports,
                                 cabinet=opened.guest_cabinet)  # fmt: skip
        window.guest_card_dialog = dialog
        dialog.open()

    window.ctx.runner.run(services.get, show, window._failed)
