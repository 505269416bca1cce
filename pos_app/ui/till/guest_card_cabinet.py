"""The guest card's Cabinet tab (issue 19 point 1): the three flags (card edits, saved offline
like the main tab's fields) and the cabinet's login and password, which live on the server
only: the till sends them (``services/guest_cabinet.py``) on the op runner's worker, and
without an answer says the server is needed and keeps the form. A random password the server
made is shown here once, for the cashier to tell the guest, unless it went by SMS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from pos_app.services.guest_cabinet import CabinetRefused, CabinetServerNeeded
from pos_app.ui.till.messages import cashier_text

if TYPE_CHECKING:
    from pos_app.services.guest_cabinet import CabinetAccess, CredentialsSet, GuestCabinetService
    from pos_app.services.guest_card import GuestCardView
    from pos_app.ui.till.guest_card import GuestCardDialog

translate = QCoreApplication.translate
FLAGS = ("cabinet_login_allowed", "ordering_allowed", "registration_skipped")


def refusal_text(error: BaseException) -> str:
    """The cashier's sentence for what the server (or the till's check) said."""
    if isinstance(error, CabinetServerNeeded):
        if error.details.get("reason") == "none":
            return translate("GuestCard", "The cabinet's login and password are kept on the "
                             "server, and this till is not connected to one.")  # fmt: skip
        return translate("GuestCard", "The cabinet's login and password are kept on the "
                         "server, which did not answer: nothing was set. Try again when the "
                         "till is online.")  # fmt: skip
    if isinstance(error, CabinetRefused):
        texts = {
            "login_taken": translate("GuestCard", "This login is taken: choose another."),
            "unknown_guest": translate(
                "GuestCard",
                "The server does not know this guest yet: try again once the till has synced.",
            ),
            "bad_login": translate(
                "GuestCard", "A login has 3 to 64 letters, digits, dots, dashes or underscores."
            ),
            "bad_password": translate(
                "GuestCard", "A password is 8 to 128 characters, with no spaces at its ends."
            ),
            "forbidden": translate("GuestCard", "You may not change this guest's cabinet access."),
        }
        return texts.get(error.reason, error.message)
    return cashier_text(error)


class CabinetTab(QWidget):
    """Flags; login, password or a random one, send by SMS; the server's answer."""

    def __init__(self, card: GuestCardDialog, cabinet: GuestCabinetService) -> None:
        super().__init__()
        self.card, self.cabinet = card, cabinet
        self.loaded = False
        self.sms_phone: str | None = None
        self.state = QLabel("")
        self.state.setObjectName("cabinetState")
        self.state.setWordWrap(True)
        self.login_allowed = QCheckBox(translate("GuestCard", "May sign in to the cabinet"))
        self.ordering = QCheckBox(translate("GuestCard", "May order from the cabinet"))
        self.skip = QCheckBox(translate("GuestCard", "Registration skipped"))
        save = _button("saveCabinetFlags", translate("GuestCard", "Save"))
        save.clicked.connect(self.save_flags)
        self.login = QLineEdit()
        self.login.setObjectName("cabinetLogin")
        self.login.setMaxLength(64)
        self.password = QLineEdit()
        self.password.setObjectName("cabinetPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(128)
        self.random = QCheckBox(translate("GuestCard", "Random password"))
        self.random.setObjectName("cabinetRandom")
        self.random.toggled.connect(lambda on: self.password.setEnabled(not on))
        self.send = QCheckBox(translate("GuestCard", "Send now by SMS"))
        self.send.setObjectName("cabinetSend")
        self.no_phone = QLabel(translate("GuestCard", "The card has no mobile phone: tell the "
                                         "guest the login and password."))  # fmt: skip
        self.no_phone.setObjectName("cabinetNoPhone")
        self.no_phone.setWordWrap(True)
        self.submit = _button("setCredentials", translate("GuestCard", "Set login and password"))
        self.submit.clicked.connect(self.set_credentials)
        self.answer = QLabel("")
        self.answer.setObjectName("cabinetAnswer")
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(self)
        form.addRow(self.state)
        for box in (self.login_allowed, self.ordering, self.skip):
            form.addRow("", box)
        form.addRow("", save)
        form.addRow(translate("GuestCard", "Login"), self.login)
        form.addRow(translate("GuestCard", "Password"), self.password)
        form.addRow("", self.random)
        form.addRow("", self.send)
        form.addRow("", self.no_phone)
        form.addRow("", self.submit)
        form.addRow(self.answer)

    def _boxes(self) -> dict[str, QCheckBox]:
        return dict(zip(FLAGS, (self.login_allowed, self.ordering, self.skip), strict=True))

    def show_card(self, view: GuestCardView) -> None:
        for flag, box in self._boxes().items():
            box.setChecked(bool(getattr(view, flag)))
        if not self.loaded:
            self._show_phone(view.sms_phone)

    def _show_phone(self, phone: str | None) -> None:
        self.sms_phone = phone
        self.send.setEnabled(phone is not None)
        self.send.setText(translate("GuestCard", "Send now by SMS to %1").replace("%1", phone)
                          if phone else translate("GuestCard", "Send now by SMS"))  # fmt: skip
        if phone is None:
            self.send.setChecked(False)
        self.no_phone.setVisible(phone is None)

    def save_flags(self) -> None:
        view = self.card.view
        if view is None:
            return
        changes = {flag: box.isChecked() for flag, box in self._boxes().items()
                   if box.isChecked() != getattr(view, flag)}  # fmt: skip
        if not changes:
            self.card.say(translate("GuestCard", "Nothing changed."))
            return
        card, guest_id = self.card, self.card.guest_id
        card.act(lambda: card.cards.update(card.by, guest_id, **changes),
                 done=translate("GuestCard", "Saved."))  # fmt: skip

    def load(self) -> None:
        """Ask the server whether the guest has a login (the tab shown the first time)."""
        self.loaded = True
        self.state.setText(translate("GuestCard", "Asking the server…"))
        guest_id = self.card.guest_id
        self.card.runner.run(lambda: self.cabinet.access(guest_id), self.show_access,
                             self._unavailable)  # fmt: skip

    def show_access(self, access: CabinetAccess) -> None:
        if access.login:
            self.state.setText(translate("GuestCard", "Cabinet login: %1 (the password is "
                                         "never shown).").replace("%1", access.login))  # fmt: skip
            if not self.login.text():
                self.login.setText(access.login)
        else:
            self.state.setText(translate("GuestCard", "No cabinet login yet."))
        self._show_phone(access.sms_phone)

    def _unavailable(self, error: BaseException) -> None:
        self.state.setText(refusal_text(error))

    def set_credentials(self) -> None:
        login, typed = self.login.text().strip(), self.password.text()
        password: str | None = None if self.random.isChecked() else typed
        if not login or password == "":
            self.card.say(translate("GuestCard", "Type a login, and a password or choose a "
                                    "random one."), problem=True)  # fmt: skip
            return
        send = self.send.isEnabled() and self.send.isChecked()
        card, guest_id = self.card, self.card.guest_id
        self.answer.setText("")
        self.submit.setEnabled(False)
        card.say(translate("GuestCard", "Sending to the server…"))
        card.runner.run(lambda: self.cabinet.set_credentials(card.by, guest_id, login, password,
                                                             send=send),
                        self._done, self._failed)  # fmt: skip

    def _done(self, done: CredentialsSet) -> None:
        self.submit.setEnabled(True)
        self.password.clear()
        self.login.setText(done.login)
        self.state.setText(translate("GuestCard", "Cabinet login: %1 (the password is never "
                                     "shown).").replace("%1", done.login))  # fmt: skip
        if done.sent:
            text = translate("GuestCard", "The login and password were sent by SMS.")
        elif done.password is not None:
            text = translate("GuestCard", "Login %1 is set. Tell the guest the password: %2 "
                             "(shown only now).").replace("%1", done.login).replace(
                "%2", done.password)  # fmt: skip
        else:
            text = translate("GuestCard", "Login %1 and its password are set.").replace(
                "%1", done.login)  # fmt: skip
        self.answer.setText(text)
        self.card.say(text)

    def _failed(self, error: BaseException) -> None:
        self.submit.setEnabled(True)  # the form stays as typed
        self.card.say(refusal_text(error), problem=True)


def _button(name: str, text: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    return button
