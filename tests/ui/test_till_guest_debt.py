"""The till's guest card says a debt (issue 20 point 3: a guest order completed unpaid leaves
its total owed on the guest's balance) as "owed", not as a negative balance."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pos_app.services.guests import GuestPanel as GuestInfo
from pos_app.services.guests import TodayLimits
from pos_app.ui.till.guest_panel import GuestPanel


def guest(balance: int | None) -> GuestInfo:
    return GuestInfo("anna", "Anna Smirnova", (), None, 0, 0, 0, balance, None,
                     TodayLimits(0, None, 0, None, None))  # fmt: skip


def test_a_negative_balance_reads_as_owed_on_the_guest_card(qtbot: QtBot) -> None:
    panel = GuestPanel()
    qtbot.addWidget(panel)
    panel.show_guest(guest(-59_000))
    assert panel.balance.text() == "590,00 ₽ owed"
    assert "balance 590,00 ₽ owed" in panel.summary.text()
    panel.show_guest(guest(150_000))
    assert panel.balance.text() == "1\u00a0500,00 ₽"
    panel.show_guest(guest(None))
    assert panel.balance.text() == "none"
