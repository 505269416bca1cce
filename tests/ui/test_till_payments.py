"""Paying at the till through the real dialogs: a card + balance + cash mix, change, the
receipt with every payment; an unknown card creates a guest; a guest found by name."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pos_app.commands.demo_data import card_number, fill_till
from pos_app.domain.money import rub
from tests.ui.test_till_window import LATTE, open_shift, signed_in
from tests.ui.till_fixtures import Till


def _pay_with(till: Till, method: str, amount: str) -> None:
    window = till.window
    till.qtbot.waitUntil(lambda: window.payment.dialog is not None
                         and window.payment.dialog.isVisible(), timeout=5000)  # fmt: skip
    dialog = window.payment.dialog
    assert dialog is not None
    dialog.choose(method)
    dialog.edit.setText(amount)
    assert dialog.ok.isEnabled(), dialog.hint.text()
    dialog.ok.click()
    till.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)


def test_a_mix_of_card_balance_and_cash_closes_one_sale(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    till.scan(f";{card_number(1)}?")  # guest 1 through the wedge: 10 %, 1 500 ₽ on balance
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.total == 189_00, timeout=5000)  # fmt: skip
    window.payment.pay()
    _pay_with(till, "card", "100")
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.due == 89_00, timeout=10000)  # fmt: skip
    assert till.terminal.approved_total == 100_00
    _pay_with(till, "balance", "50")  # the dialog came back for the rest by itself
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.due == 39_00, timeout=5000)  # fmt: skip
    _pay_with(till, "cash", "50")
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    assert "Change: 11,00" in window.banner.text()
    text = till.printer.wait_for_jobs(1, timeout=10)[0].read_text(encoding="utf-8")
    for expected in ("Карта", "Депозит", "Наличные", "189,00"):
        assert expected in text, text


def test_the_balance_button_is_off_for_a_guest_without_a_balance(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    till.scan(f";{card_number(2)}?")  # guest 2 has no deposit
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    window.payment.pay()
    till.qtbot.waitUntil(lambda: window.payment.dialog is not None, timeout=5000)
    dialog = window.payment.dialog
    assert dialog is not None
    assert not dialog.balance_button.isEnabled()
    assert dialog.due == 199_50  # 210 ₽ less guest 2's 5 %
    dialog.edit.setText("100")  # part in cash is a step of a mix: the rest is asked next
    assert dialog.ok.isEnabled() and dialog.hint.text() == "Left to pay after this: 99,50 ₽"
    dialog.reject()


def test_an_unknown_card_creates_a_guest_and_binds_it_in_one_dialog(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(";7799000000000042?")
    till.qtbot.waitUntil(lambda: window.guests.new_guest_dialog is not None
                         and window.guests.new_guest_dialog.isVisible(), timeout=5000)  # fmt: skip
    dialog = window.guests.new_guest_dialog
    assert dialog is not None
    assert not dialog.ok.isEnabled()
    dialog.name.setText("Пётр Новый")
    dialog.phone.setText("8 (900) 123-45-67")
    dialog.ok.click()
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    guest = window.guest_panel.guest
    assert guest is not None and guest.name == "Пётр Новый"
    assert guest.phones == ("+79001234567",)
    # the card is now theirs: a second swipe in a new sale finds them
    window.controller.cancel_sale()
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is None, timeout=5000)
    till.scan(";7799000000000042?")
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)


def test_a_guest_found_by_a_name_fragment(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    found: list[Any] = []
    window.controller.search_guests("кузнец", found.extend)
    till.qtbot.waitUntil(lambda: bool(found), timeout=5000)
    assert [g.name for g in found] == ["Мария Кузнецова"]
    window.controller.identify_guest_id(found[0].guest_id, found[0].phones[0])
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    assert "Мария Кузнецова" in window.guest_panel.name.text()


def test_points_within_the_offline_allowance_then_cash_for_the_rest(till_factory: Any) -> None:
    till = signed_in(till_factory)
    with till.store.unit_of_work() as uow:  # the 10 % group may spend 300 ₽ of points offline
        group = uow.groups.get("g10")
        assert group is not None
        uow.groups.add(replace(group, offline_allowance=rub(300)))
        uow.commit()
    window = till.window
    till.scan(LATTE)
    till.scan(LATTE)
    till.scan(f";{card_number(6)}?")  # guest 6: 10 %, 2 310 points
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.total == 378_00, timeout=5000)  # fmt: skip
    window.payment.pay()
    till.qtbot.waitUntil(lambda: window.payment.dialog is not None, timeout=5000)
    dialog = window.payment.dialog
    assert dialog is not None and dialog.points_allowed == 189_00  # 50 % of the order
    assert dialog.points_room.text() == (  # said before anything is typed (issue 22 point 4)
        "Points: up to 189,00 pts (this till has no server; its own limit)."
    )
    dialog.choose("points")
    assert dialog.edit.text() == "189,00"
    dialog.edit.setText("250")  # under what is due, over the points cap
    assert not dialog.ok.isEnabled() and "At most 189,00" in dialog.hint.text()
    _pay_with(till, "points", "189")
    till.qtbot.waitUntil(lambda: "Without the server at most 300,00" in window.banner.text()
                         or (window.controller.sale is not None
                             and window.controller.sale.due == 189_00), timeout=5000)  # fmt: skip
    assert window.controller.sale is not None and window.controller.sale.due == 189_00
    _pay_with(till, "cash", "200")
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    text = till.printer.wait_for_jobs(1, timeout=10)[0].read_text(encoding="utf-8")
    assert "Баллы" in text and "189,00" in text
    with till.store.unit_of_work() as uow:
        kinds = [op.kind for op in uow.outbox.pending()]
    assert "hold.placed" in kinds and "sale.closed" in kinds


def test_points_beyond_the_offline_allowance_are_refused_plainly(till_factory: Any) -> None:
    till = signed_in(till_factory)  # the demo groups allow no points offline
    window = till.window
    till.scan(LATTE)
    till.scan(f";{card_number(6)}?")
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    window.controller.pay("points", 50_00)
    till.qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    assert window.banner.text() == (
        "Without the server at most 0,00 pts can be paid with points for this guest."
    )
    assert window.controller.sale is not None and not window.controller.sale.payments


def test_a_promo_code_typed_as_digits_reprices_the_sale(till_factory: Any) -> None:
    till = signed_in(till_factory)
    with till.store.unit_of_work() as uow:
        fill_till(uow)  # the demo program (TOPLASER, 15 %) and guest 1's code TOPLASER6502
        uow.commit()
    window = till.window
    till.scan(LATTE)
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.total == 420_00, timeout=5000)  # fmt: skip
    window.controller.apply_promo("6502")
    till.qtbot.waitUntil(lambda: window.controller.sale is not None
                         and window.controller.sale.total == 357_00, timeout=5000)  # fmt: skip
    assert window.banner.text() == (
        "Promo code TOPLASER6502 of Анна Смирнова: 63,00 ₽ off, 357,00 ₽ to pay.  "
        "Ctrl+K: a card for the buyer by phone."  # an anonymous buyer (seed 003)
    )
    assert window.totals.total.text().startswith("357,00")


def test_a_promo_code_nobody_has_is_said_plainly(till_factory: Any) -> None:
    till = signed_in(till_factory)
    with till.store.unit_of_work() as uow:
        fill_till(uow)
        uow.commit()
    window = till.window
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    window.controller.apply_promo("1234")
    till.qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    assert window.banner.text() == (
        "Promo code TOPLASER1234 is not known at this till; check the digits."
    )
    sale = window.controller.sale
    assert sale is not None and sale.total == 210_00  # unchanged


def test_a_scanned_promo_code_is_applied_like_a_typed_one(till_factory: Any) -> None:
    till: Till = till_factory()
    with till.store.unit_of_work() as uow:
        fill_till(uow)  # before the till's first op opens its services: the prefix is known
        uow.commit()
    till.sign_in()
    till.qtbot.waitUntil(lambda: till.window.staff is not None, timeout=20000)
    open_shift(till)  # the start of the day's dialog: scans behind it are held
    till.scan(LATTE)
    till.scan("TOPLASER6502")  # the guest shows the code in their app
    till.qtbot.waitUntil(lambda: till.window.controller.sale is not None
                         and till.window.controller.sale.total == 178_50, timeout=5000)  # fmt: skip
    assert "TOPLASER6502" in till.window.banner.text()
