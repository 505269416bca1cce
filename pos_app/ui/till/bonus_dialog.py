"""The bonus settings of one order: accrual % and max share paid in points, set by hand.

Shows the percentages in force now (the guest's group's or the program's, or an override set
before) and two fields; an empty field keeps the usual setting, both empty remove the
override. Opened with ``open()`` (non-blocking); ``chosen`` carries the ``LoyaltyOverride``.
Who may do it is decided after (``LoyaltyFlow``: a manager's PIN for a cashier).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import DomainError
from pos_app.domain.loyalty import LoyaltyOverride
from pos_app.domain.money import Percent
from pos_app.ui.till.format import percent_of_bp

if TYPE_CHECKING:
    from pos_app.services.bonus_override import BonusSettingsView

translate = QCoreApplication.translate


class BonusSettingsDialog(QDialog):
    chosen = Signal(object)  # LoyaltyOverride

    def __init__(self, current: BonusSettingsView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bonusSettingsDialog")
        self.setWindowTitle(translate("BonusSettingsDialog", "Bonus settings of this order"))
        now = translate(
            "BonusSettingsDialog",
            "Now: points accrued %1, at most %2 of the order paid with points.",
        )
        self.current = QLabel(now.replace("%1", percent_of_bp(current.accrual_bp))
                              .replace("%2", percent_of_bp(current.max_redemption_bp)))
        self.current.setWordWrap(True)
        if current.overridden:
            self.current.setText(self.current.text() + " " + translate(
                "BonusSettingsDialog", "(set by hand for this order)"))  # fmt: skip
        self.accrual = QLineEdit()
        self.accrual.setObjectName("accrualPercent")
        self.redemption = QLineEdit()
        self.redemption.setObjectName("redemptionPercent")
        keep = translate("BonusSettingsDialog", "as usual")
        for field in (self.accrual, self.redemption):
            field.setPlaceholderText(keep)
        hint = QLabel(translate(
            "BonusSettingsDialog",
            "Empty: the guest's usual setting. A manager's PIN is asked if your role may not.",
        ))  # fmt: skip
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        self.problem = QLabel("")
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #a61b1b;")
        self.problem.hide()
        form = QFormLayout()
        form.addRow(translate("BonusSettingsDialog", "Points accrued, %"), self.accrual)
        form.addRow(translate("BonusSettingsDialog", "Max paid with points, %"), self.redemption)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _accept(self) -> None:
        try:
            override = LoyaltyOverride(_percent(self.accrual.text()),
                                       _percent(self.redemption.text()))  # fmt: skip
        except DomainError:
            self.problem.setText(translate(
                "BonusSettingsDialog", "Type a percentage from 0 to 100, e.g. 10 or 2,5."))
            self.problem.show()
            return
        self.accept()
        self.chosen.emit(override)


def _percent(text: str) -> Percent | None:
    text = text.strip().rstrip("%").strip()
    return Percent.parse(text) if text else None
