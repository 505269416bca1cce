"""The tabs of the guest card dialog (``guest_card.py``). Each draws the card the service
returned and sends one change through the dialog's ``act`` (the op runner)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import DomainError
from pos_app.domain.identifiers import InputMethod, Medium
from pos_app.domain.money import Percent, parse_money
from pos_app.services.slips import print_slip
from pos_app.ui.till.format import money, percent_of_bp, points
from pos_app.ui.till.guest_card_deposit import DepositBox, slip_note

if TYPE_CHECKING:
    from pos_app.services.guest_card import GuestCardView
    from pos_app.services.guest_history import GuestHistoryService, HistoryPage
    from pos_app.ui.till.guest_card import GuestCardDialog

translate = QCoreApplication.translate


def _combo(name: str, choices: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for text, data in choices:
        combo.addItem(text, data)
    return combo


def _select(combo: QComboBox, data: Any) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(max(index, 0))


def _button(name: str, text: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    return button


def _labels() -> dict[str, str]:
    return {
        "mobile": translate("GuestCard", "mobile"),
        "home": translate("GuestCard", "home"),
        "work": translate("GuestCard", "work"),
        "other": translate("GuestCard", "other"),
    }


class MainTab(QWidget):
    """Name, birthday, sex, note, group (and whether set by hand); the three flags are on the
    Cabinet tab (``guest_card_cabinet.py``)."""

    def __init__(self, card: GuestCardDialog) -> None:
        super().__init__()
        self.card = card
        self.name = QLineEdit()
        self.name.setObjectName("guestName")
        self.birthday = QLineEdit()
        self.birthday.setObjectName("guestBirthday")
        self.birthday.setPlaceholderText(translate("GuestCard", "YYYY-MM-DD"))
        self.sex = _combo("guestSex", [("—", None), (translate("GuestCard", "female"), "female"),
                                       (translate("GuestCard", "male"), "male")])  # fmt: skip
        self.note = QPlainTextEdit()
        self.note.setObjectName("guestNote")
        self.note.setMaximumHeight(80)
        self.group = _combo("guestGroup", [("—", None)])
        self.by_hand = QLabel("")
        self.by_hand.setObjectName("groupByHand")
        save = _button("saveMain", translate("GuestCard", "Save"))
        save.clicked.connect(self.save)
        form = QFormLayout(self)
        form.addRow(translate("GuestCard", "Name"), self.name)
        form.addRow(translate("GuestCard", "Birthday"), self.birthday)
        form.addRow(translate("GuestCard", "Sex"), self.sex)
        form.addRow(translate("GuestCard", "Note"), self.note)
        group_row = QHBoxLayout()
        group_row.addWidget(self.group, 1)
        group_row.addWidget(self.by_hand)
        form.addRow(translate("GuestCard", "Group"), group_row)
        form.addRow("", save)

    def set_groups(self, groups: list[tuple[str, str]]) -> None:
        current = self.group.currentData()
        self.group.clear()
        self.group.addItem("—", None)
        for group_id, name in groups:
            self.group.addItem(name, group_id)
        _select(self.group, self.card.view.group_id if self.card.view else current)

    def show_card(self, view: GuestCardView) -> None:
        self.name.setText(view.name)
        self.birthday.setText(view.birthday.isoformat() if view.birthday else "")
        _select(self.sex, view.sex)
        self.note.setPlainText(view.note)
        if self.group.findData(view.group_id) < 0 and view.group_id:
            self.group.addItem(view.group_name or view.group_id, view.group_id)
        _select(self.group, view.group_id)
        self.by_hand.setText(translate("GuestCard", "set by hand") if view.group_by_hand else "")

    def changes(self) -> dict[str, Any]:
        """The fields that differ from the card as drawn."""
        view = self.card.view
        if view is None:
            return {}
        typed = self.birthday.text().strip()
        now = {"name": self.name.text(), "birthday": typed or None,
               "sex": self.sex.currentData(), "note": self.note.toPlainText(),
               "group_id": self.group.currentData()}  # fmt: skip
        was = {"name": view.name, "birthday": view.birthday.isoformat() if view.birthday else None,
               "sex": view.sex, "note": view.note, "group_id": view.group_id}  # fmt: skip
        return {k: v for k, v in now.items() if v != was[k]}

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.card.say(translate("GuestCard", "Nothing changed."))
            return
        card, guest_id = self.card, self.card.guest_id
        card.act(lambda: card.cards.update(card.by, guest_id, **changes),
                 done=translate("GuestCard", "Saved."))  # fmt: skip


class ContactsTab(QWidget):
    """Phones and e-mails, each with its kind; the first mobile gets the SMS."""

    def __init__(self, card: GuestCardDialog) -> None:
        super().__init__()
        self.card = card
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("contactsTable")
        self.table.setHorizontalHeaderLabels([translate("GuestCard", "Type"),
                                              translate("GuestCard", "Kind"),
                                              translate("GuestCard", "Value")])  # fmt: skip
        self.table.horizontalHeader().setStretchLastSection(True)
        self.sms = QLabel("")
        self.sms.setObjectName("smsPhone")
        add = _button("addContact", translate("GuestCard", "Add"))
        add.clicked.connect(lambda: self.add_row("phone", "mobile", ""))
        remove = _button("removeContact", translate("GuestCard", "Remove"))
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        save = _button("saveContacts", translate("GuestCard", "Save"))
        save.clicked.connect(self.save)
        buttons = QHBoxLayout()
        for button in (add, remove, save):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.sms)
        layout.addLayout(buttons)

    def add_row(self, type_: str, label: str, value: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        kinds = _combo("contactType", [(translate("GuestCard", "phone"), "phone"),
                                       (translate("GuestCard", "e-mail"), "email")])  # fmt: skip
        _select(kinds, type_)
        labels = _combo("contactKind", [(text, key) for key, text in _labels().items()])
        _select(labels, label)
        self.table.setCellWidget(row, 0, kinds)
        self.table.setCellWidget(row, 1, labels)
        self.table.setItem(row, 2, QTableWidgetItem(value))

    def show_card(self, view: GuestCardView) -> None:
        self.table.setRowCount(0)
        for contact in view.contacts:
            self.add_row(contact.type, contact.label, contact.value)
        self.sms.setText(translate("GuestCard", "SMS go to: %1").replace(
            "%1", view.sms_phone or "—"))  # fmt: skip

    def rows(self) -> list[tuple[str, str, str]]:
        out = []
        for row in range(self.table.rowCount()):
            kind, label = self.table.cellWidget(row, 0), self.table.cellWidget(row, 1)
            item = self.table.item(row, 2)
            value = item.text().strip() if item else ""
            if value and isinstance(kind, QComboBox) and isinstance(label, QComboBox):
                out.append((str(kind.currentData()), str(label.currentData()), value))
        return out

    def save(self) -> None:
        from pos_app.services.guest_card import ContactInput

        contacts = [ContactInput(*row) for row in self.rows()]
        card, guest_id = self.card, self.card.guest_id
        card.act(lambda: card.cards.set_contacts(card.by, guest_id, contacts),
                 done=translate("GuestCard", "Saved."))  # fmt: skip


class IdentifiersTab(QWidget):
    """The guest's cards and app codes: add one, block one, replace a lost one."""

    def __init__(self, card: GuestCardDialog) -> None:
        super().__init__()
        self.card = card
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("identifiersTable")
        self.table.setHorizontalHeaderLabels([
            translate("GuestCard", "Medium"), translate("GuestCard", "Input"),
            translate("GuestCard", "Value"), translate("GuestCard", "State")])  # fmt: skip
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.medium = _combo("identifierMedium", [
            (translate("GuestCard", "card"), Medium.CARD),
            (translate("GuestCard", "guest app"), Medium.GUEST_APP),
            (translate("GuestCard", "white-label app"), Medium.WHITE_LABEL_APP)])  # fmt: skip
        self.method = _combo("identifierMethod", [
            (translate("GuestCard", "magnetic stripe"), InputMethod.MSR),
            (translate("GuestCard", "barcode"), InputMethod.BARCODE),
            (translate("GuestCard", "manual"), InputMethod.MANUAL)])  # fmt: skip
        self.medium.currentIndexChanged.connect(self._medium_chosen)
        self.value = QLineEdit()
        self.value.setObjectName("identifierValue")
        self.value.setPlaceholderText(translate("GuestCard", "swipe, scan or type"))
        self.reason = QLineEdit()
        self.reason.setObjectName("identifierReason")
        self.reason.setPlaceholderText(translate("GuestCard", "why (to block or replace)"))
        add = _button("addIdentifier", translate("GuestCard", "Add"))
        add.clicked.connect(self.add)
        block = _button("blockIdentifier", translate("GuestCard", "Block selected"))
        block.clicked.connect(self.block)
        replace = _button("replaceIdentifier", translate("GuestCard", "Replace selected (lost)"))
        replace.clicked.connect(self.replace)
        new = QHBoxLayout()
        for choice in (self.medium, self.method):
            new.addWidget(choice)
        new.addWidget(self.value)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reason)
        for button in (add, block, replace):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(new)
        layout.addLayout(buttons)

    def _medium_chosen(self) -> None:
        """An app's code is scanned: the medium sets the method (seed 002)."""
        is_card = self.medium.currentData() == Medium.CARD
        if not is_card:
            _select(self.method, InputMethod.BARCODE)
        self.method.setEnabled(is_card)

    def take_reading(self, kind: str, data: str) -> None:
        """A reading of the till's readers as the new identifier: a swipe is a card's stripe,
        a scan a barcode or QR code (of a card unless an app is chosen)."""
        if kind == "msr":
            _select(self.medium, Medium.CARD)
        _select(self.method, InputMethod.MSR if kind == "msr" else InputMethod.BARCODE)
        self.value.setText(data)

    def show_card(self, view: GuestCardView) -> None:
        self.table.setRowCount(0)
        for identifier in view.identifiers:
            row = self.table.rowCount()
            self.table.insertRow(row)
            state = (translate("GuestCard", "blocked") if identifier.blocked
                     else translate("GuestCard", "active"))  # fmt: skip
            for column, text in enumerate((identifier.medium, identifier.method,
                                           identifier.value, state)):  # fmt: skip
                self.table.setItem(row, column, QTableWidgetItem(text))

    def selected(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 2)
        return None if item is None else item.text()

    def add(self) -> None:
        card, guest_id = self.card, self.card.guest_id
        medium, method, raw = (
            self.medium.currentData(),
            self.method.currentData(),
            self.value.text(),
        )
        card.act(
            lambda: card.cards.add_identifier(card.by, guest_id, medium, method, raw),
            done=translate("GuestCard", "Card added."),
            then=lambda _: self.value.clear(),
        )

    def block(self) -> None:
        value = self.selected()
        if value is None:
            self.card.say(translate("GuestCard", "Choose a card in the list first."), problem=True)
            return
        card, guest_id, reason = self.card, self.card.guest_id, self.reason.text()
        card.act(lambda: card.cards.block_identifier(card.by, guest_id, value, reason),
                 done=translate("GuestCard", "Card blocked."))  # fmt: skip

    def replace(self) -> None:
        old = self.selected()
        if old is None:
            self.card.say(translate("GuestCard", "Choose a card in the list first."), problem=True)
            return
        card, guest_id, reason = self.card, self.card.guest_id, self.reason.text()
        medium, method, raw = (
            self.medium.currentData(),
            self.method.currentData(),
            self.value.text(),
        )
        card.act(lambda: card.cards.replace_identifier(
            card.by, guest_id, old_value=old, medium=medium, method=method, raw=raw,
            reason=reason), done=translate("GuestCard", "The lost card is blocked, the new one "
                                           "bound."))  # fmt: skip


class AccountsTab(QWidget):
    """Points and money, total / held / available; a manager's credit or debit; the guest's own
    bonus settings."""

    def __init__(self, card: GuestCardDialog) -> None:
        super().__init__()
        self.card = card
        self.figures = QLabel("")
        self.figures.setObjectName("accountFigures")
        self.holds = QLabel("")
        self.holds.setObjectName("openHolds")
        self.holds.setWordWrap(True)
        self.account = _combo("adjustAccount", [
            (translate("GuestCard", "points"), "points"),
            (translate("GuestCard", "money"), "money")])  # fmt: skip
        self.direction = _combo("adjustDirection", [
            (translate("GuestCard", "credit"), "credit"),
            (translate("GuestCard", "debit"), "debit")])  # fmt: skip
        self.amount = QLineEdit()
        self.amount.setObjectName("adjustAmount")
        self.amount.setPlaceholderText(translate("GuestCard", "amount"))
        self.reason = QLineEdit()
        self.reason.setObjectName("adjustReason")
        self.reason.setPlaceholderText(translate("GuestCard", "why"))
        post = _button("postAdjustment", translate("GuestCard", "Post"))
        post.clicked.connect(self.adjust)
        self.accrual = QLineEdit()
        self.accrual.setObjectName("guestAccrual")
        self.redemption = QLineEdit()
        self.redemption.setObjectName("guestRedemption")
        for field in (self.accrual, self.redemption):
            field.setPlaceholderText(translate("GuestCard", "the group's"))
        save = _button("saveBonusSettings", translate("GuestCard", "Save bonus settings"))
        save.clicked.connect(self.save_bonus)
        adjust = QHBoxLayout()
        for widget in (self.account, self.direction, self.amount, self.reason, post):
            adjust.addWidget(widget)
        self.deposit = DepositBox(card)
        form = QFormLayout(self)
        form.addRow(self.figures)
        form.addRow(self.holds)
        form.addRow(translate("GuestCard", "Credit or debit"), adjust)
        form.addRow(translate("GuestCard", "Deposit"), self.deposit)
        self.deposit.setVisible(card.deposits is not None)
        form.addRow(translate("GuestCard", "Points accrued, %"), self.accrual)
        form.addRow(translate("GuestCard", "Max paid with points, %"), self.redemption)
        form.addRow("", save)

    def show_card(self, view: GuestCardView) -> None:
        text = translate("GuestCard", "Points: %1 total, %2 held, %3 available. Money: %4.")
        self.figures.setText(text.replace("%1", points(view.points_total))
                             .replace("%2", points(view.points_held))
                             .replace("%3", points(view.points_available))
                             .replace("%4", money(view.money_total)))  # fmt: skip
        for field, bp in ((self.accrual, view.accrual_bp),
                          (self.redemption, view.max_redemption_bp)):  # fmt: skip
            field.setText("" if bp is None else percent_of_bp(bp).replace(" %", ""))

    def load_top_ups(self) -> None:
        self.deposit.load()

    def show_holds(self, page: HistoryPage | None) -> None:
        """The guest's open holds on the server (None: it could not be asked, nothing kept)."""
        if page is None:
            self.holds.setText(translate("GuestCard", "Open holds: the server cannot be asked."))
            return
        held = [translate("GuestCard", "%1 since %2 (%3)").replace("%1", points(h["amount"]))
                .replace("%2", _when(h["created_at"])).replace("%3", h.get("terminal_id") or "—")
                for h in page.items]  # fmt: skip
        text = (translate("GuestCard", "Open holds: %1").replace("%1", "; ".join(held)) if held
                else translate("GuestCard", "No open holds."))  # fmt: skip
        if page.offline:
            text += " " + translate("GuestCard", "(as of %1)").replace(
                "%1", page.fetched_at.strftime("%d.%m %H:%M"))  # fmt: skip
        self.holds.setText(text)

    def adjust(self) -> None:
        try:
            amount = parse_money(self.amount.text())
        except (DomainError, ValueError):
            self.card.say(translate("GuestCard", "Type an amount, e.g. 150 or 99,50."),
                          problem=True)  # fmt: skip
            return
        card, guest_id = self.card, self.card.guest_id
        account, direction, reason = (self.account.currentData(), self.direction.currentData(),
                                      self.reason.text())  # fmt: skip

        def work() -> tuple[GuestCardView, bool]:
            view, slip = card.cards.adjust_with_slip(card.by, guest_id, account=account,
                                                     direction=direction, amount=amount,
                                                     reason=reason)  # fmt: skip
            return view, print_slip(card.reports, slip, "adjustment")

        def posted(done: tuple[GuestCardView, bool]) -> None:
            card.show_card(done[0])
            card.say(translate("GuestCard", "Posted; the balance changes when the server has "
                               "it.") + " " + slip_note(done[1]))  # fmt: skip

        card.runner.run(work, posted, card.fail)

    def save_bonus(self) -> None:
        try:
            accrual, redemption = _bp(self.accrual.text()), _bp(self.redemption.text())
        except DomainError:
            self.card.say(translate("GuestCard", "Type a percentage from 0 to 100, e.g. 10 or "
                                    "2,5."), problem=True)  # fmt: skip
            return
        card, guest_id = self.card, self.card.guest_id
        card.act(lambda: card.cards.set_loyalty(card.by, guest_id, accrual_bp=accrual,
                                                max_redemption_bp=redemption),
                 done=translate("GuestCard", "Saved."))  # fmt: skip


def _bp(text: str) -> int | None:
    text = text.strip().rstrip("%").strip()
    return Percent.parse(text).bp if text else None


class HistoryTab(QWidget):
    """Postings (points, money or both) or sales, newest first, from the server; older pages
    on demand; a page kept from before when the server does not answer."""

    def __init__(self, card: GuestCardDialog, history: GuestHistoryService) -> None:
        super().__init__()
        self.card, self.history = card, history
        self.loaded = False
        self.next: str | None = None
        self.section = _combo("historySection", [
            (translate("GuestCard", "points and money"), "postings"),
            (translate("GuestCard", "points"), "points"),
            (translate("GuestCard", "money"), "money"),
            (translate("GuestCard", "sales"), "sales")])  # fmt: skip
        self.section.currentIndexChanged.connect(lambda _: self.load())
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("historyTable")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.state = QLabel("")
        self.state.setObjectName("historyState")
        self.older = _button("olderHistory", translate("GuestCard", "Older"))
        self.older.clicked.connect(lambda: self.load(self.next))
        row = QHBoxLayout()
        row.addWidget(self.section)
        row.addWidget(self.state, 1)
        row.addWidget(self.older)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)

    def load(self, before: str | None = None) -> None:
        self.loaded = True
        guest_id, section = self.card.guest_id, str(self.section.currentData())
        self.card.act(
            lambda: self.history.page(guest_id, section, before=before),
            done=None,
            then=lambda page: self.show_page(page, append=before is not None),
        )

    def show_page(self, page: HistoryPage, *, append: bool) -> None:
        sales = page.section == "sales"
        headers = ([translate("GuestCard", "Closed"), translate("GuestCard", "Receipt"),
                    translate("GuestCard", "Total"), translate("GuestCard", "Group"),
                    translate("GuestCard", "Discount"), translate("GuestCard", "Points earned")]
                   if sales else
                   [translate("GuestCard", "When"), translate("GuestCard", "Operation"),
                    translate("GuestCard", "Amount"), translate("GuestCard", "Balance after"),
                    translate("GuestCard", "Who / where"),
                    translate("GuestCard", "Why")])  # fmt: skip
        self.table.setHorizontalHeaderLabels(headers)
        if not append:
            self.table.setRowCount(0)
        for item in page.items:
            cells = _sale_cells(item) if sales else _posting_cells(item)
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.next = page.next
        self.older.setEnabled(page.next is not None)
        self.state.setText(translate("GuestCard", "Offline: as of %1").replace(
            "%1", page.fetched_at.strftime("%d.%m %H:%M")) if page.offline else "")  # fmt: skip


def _when(text: str) -> str:
    return datetime.fromisoformat(text).strftime("%d.%m.%Y %H:%M")


def _kinds() -> dict[str, str]:
    """The postings' kinds (``pos_app.domain.ledger.PostingKind``) as the cashier reads them."""
    return {
        "credit": translate("GuestCard", "credit", "a posting"),
        "debit": translate("GuestCard", "debit", "a posting"),
        "hold": translate("GuestCard", "hold"),
        "commit": translate("GuestCard", "paid with held points"),
        "release": translate("GuestCard", "hold released"),
        "expire": translate("GuestCard", "hold expired"),
        "accrual": translate("GuestCard", "accrual"),
        "adjustment": translate("GuestCard", "adjustment"),
        "debt": translate("GuestCard", "debt"),
    }


def _posting_cells(item: Any) -> list[str]:
    fmt = points if item["account"] == "points" else money
    staff = item.get("staff_name") or item.get("staff") or ""
    who = " / ".join(x for x in (staff, item.get("terminal_id") or "") if x)
    kind = _kinds().get(item["kind"], item["kind"])
    return [_when(item["at"]), kind, fmt(item["amount"]), fmt(item["total_after"]),
            who, item.get("reason") or ""]  # fmt: skip


def _sale_cells(item: Any) -> list[str]:
    group = item.get("group_name") or item.get("group_id") or "—"
    bp = item.get("group_discount_bp")
    discount = money(item["discount"]) + ("" if bp is None else f" ({percent_of_bp(bp)})")
    return [_when(item["closed_at"]), item.get("receipt_no") or "", money(item["total"]), group,
            discount, points(item.get("accrual"))]  # fmt: skip
