"""The till window end to end: the real composition, store, wedge decoder, serial card reader
on a pty and the TCP printer emulator; only the keys and the card swipe are simulated."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pos_app.commands.demo_data import card_number
from pos_app.commands.demo_data_catalog import ean13
from tests.ui.till_fixtures import Till

LATTE = ean13("460000000004")  # the 4th product of the demo catalogue has this barcode


def signed_in(till_factory: Any, **kw: Any) -> Till:
    till: Till = till_factory(**kw)
    till.sign_in()
    # the first op opens the store (imports included): allow for a busy machine
    till.qtbot.waitUntil(lambda: till.window.staff is not None, timeout=20000)
    open_shift(till)
    return till


def open_shift(till: Till, cash: str = "1000") -> None:
    """Signed in with no shift open, the cashier is asked to count the drawer: they do."""
    window = till.window
    till.qtbot.waitUntil(lambda: window.shift.dialog is not None
                         and window.shift.dialog.isVisible(), timeout=10000)  # fmt: skip
    dialog = window.shift.dialog
    assert dialog is not None and dialog.open_button.isVisible()
    dialog.cash.setText(cash)
    dialog.open_button.click()
    till.qtbot.waitUntil(lambda: dialog.shift is not None, timeout=5000)
    till.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)  # back to selling


def test_given_the_right_pin_when_signing_in_then_the_cashier_is_shown(till_factory: Any) -> None:
    till = signed_in(till_factory)
    assert "Olga Cashier" in till.window.cashier.text()
    till.qtbot.waitUntil(lambda: bool(till.window.catalogue.visible_products()), timeout=5000)


def test_given_a_wrong_pin_then_the_dialog_says_so_and_stays(till_factory: Any) -> None:
    till: Till = till_factory()
    till.sign_in("2222")
    dialog = till.window.sign_in_dialog
    assert dialog is not None
    till.qtbot.waitUntil(lambda: "Wrong PIN" in dialog.error.text(), timeout=20000)
    assert "2 more tries" in dialog.error.text()
    assert dialog.isVisible() and till.window.staff is None


def test_given_no_staff_on_the_till_then_sign_in_says_how_to_get_them(till_factory: Any) -> None:
    till: Till = till_factory(staff=False)
    till.sign_in("1234")
    dialog = till.window.sign_in_dialog
    assert dialog is not None
    till.qtbot.waitUntil(lambda: "No staff" in dialog.error.text(), timeout=20000)


def test_scan_swipe_pay_cash_and_the_receipt_prints(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    till.scan(LATTE)
    till.qtbot.waitUntil(
        lambda: window.controller.sale is not None
        and window.controller.sale.lines[0].quantity == 2,
        timeout=5000,
    )  # fmt: skip
    # the guest swipes their card on the serial reader (a pty)
    assert till.reader.wait_for_driver(5.0)
    till.reader.send(f";{card_number(1)}=4912?")
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    guest = window.guest_panel.guest
    assert f"{till.reader.path}: connected" in window.device_status.text()
    assert guest is not None and guest.name == "Анна Смирнова"
    assert "10 %" in window.guest_panel.group.text()
    assert "860,00" in window.guest_panel.points.text()  # demo points of guest 1
    assert "1\u00a0500,00" in window.guest_panel.balance.text()
    sale = window.controller.sale
    assert sale is not None
    assert sale.subtotal == 2 * 210_00 and sale.discount == 42_00 and sale.total == 378_00
    assert window.totals.total.text().startswith("378,00")
    window.controller.pay("cash", 500_00)
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    assert "Change: 122,00" in window.banner.text()
    # the sale's operation is kept in the outbox; the status bar says the till is not enrolled
    with till.store.unit_of_work() as uow:
        kinds = [op.kind for op in uow.outbox.pending()]
    assert "sale.closed" in kinds  # with promo.issued: the guest got their own promo code
    till.qtbot.waitUntil(lambda: "not enrolled" in window.sync_status.text(), timeout=5000)
    jobs = till.printer.wait_for_jobs(1, timeout=10)
    assert jobs, "no receipt reached the printer"
    text = jobs[0].read_text(encoding="utf-8")
    assert "Латте" in text and "378,00" in text and "Анна Смирнова" in text
    assert "T1-" in text
    till.reader.close()  # the card reader is unplugged: a state in the status bar, not an error
    till.qtbot.waitUntil(lambda: "disconnected" in window.device_status.text(), timeout=5000)
    assert "disconnected (" in window.device_status.toolTip()  # with the port's error


def test_a_garbled_swipe_asks_to_swipe_again(till_factory: Any) -> None:
    till = signed_in(till_factory)
    till.scan(";77A1?")
    till.qtbot.waitUntil(till.window.banner.isVisible, timeout=3000)
    assert till.window.banner.text() == "Card not read — swipe again."
    assert till.window.controller.sale is None


def test_an_unknown_barcode_is_said_plainly(till_factory: Any) -> None:
    till = signed_in(till_factory)
    till.scan("4600000099999")
    till.qtbot.waitUntil(till.window.banner.isVisible, timeout=3000)
    assert till.window.banner.text() == "No product has the code 4600000099999."


def test_typed_keys_reach_the_search_field_and_enter_adds_the_match(till_factory: Any) -> None:
    till = signed_in(till_factory)
    search = till.window.catalogue.search
    search.setFocus()
    till.type("Капуч", target=search)
    till.qtbot.waitUntil(lambda: search.text() == "Капуч", timeout=3000)
    assert [p.name for p in till.window.catalogue.visible_products()] == ["Капучино"]
    search.returnPressed.emit()
    till.qtbot.waitUntil(lambda: till.window.controller.sale is not None, timeout=5000)
    sale = till.window.controller.sale
    assert sale is not None and sale.lines[0].name == "Капучино"


def test_a_guest_over_the_daily_identification_limit_is_told_plainly(till_factory: Any) -> None:
    till = signed_in(till_factory)
    with till.store.unit_of_work() as uow:  # the 10 % group: one identification a day
        group = uow.groups.get("g10")
        assert group is not None
        uow.groups.add(replace(group, daily_identification_limit=1))
        uow.commit()
    window = till.window
    till.scan(LATTE)
    till.scan(f";{card_number(1)}?")
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    window.controller.pay("cash", 500_00)
    till.qtbot.waitUntil(lambda: window.controller.sale is None, timeout=5000)
    till.scan(LATTE)
    till.scan(f";{card_number(1)}?")  # the same card again, the same day
    till.qtbot.waitUntil(lambda: "limit" in window.banner.text(), timeout=5000)
    assert window.banner.text() == "This guest has reached today's limit of card uses (1)."
    assert window.guest_panel.guest is None


def test_a_pin_typed_in_a_fast_burst_with_enter_still_signs_in(till_factory: Any) -> None:
    till: Till = till_factory()
    till.qtbot.waitUntil(lambda: till.window.sign_in_dialog is not None
                         and till.window.sign_in_dialog.isVisible(), timeout=5000)  # fmt: skip
    dialog = till.window.sign_in_dialog
    assert dialog is not None
    till.qtbot.waitUntil(lambda: till.runtime.key_hook is not None, timeout=5000)
    till.keys("1111\r", 30, dialog.pin)  # 30 ms apart: looks like a scanner (or a badge)
    till.qtbot.waitUntil(lambda: till.window.staff is not None, timeout=20000)


def test_a_guest_found_by_the_app_qr_code_or_a_phone_in_any_format(till_factory: Any) -> None:
    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    till.scan("QR-GUEST-03")  # the guest app's code on the phone's screen
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    guest = window.guest_panel.guest
    assert guest is not None and guest.name == "Мария Кузнецова"
    window.controller.identify_by_phone("8 (922) 555-01-02")  # typed as the guest says it
    till.qtbot.waitUntil(
        lambda: "Иван Петров" in window.guest_panel.name.text(), timeout=5000
    )
    sale = window.controller.sale
    assert sale is not None and sale.discount == 10_50  # his group's 5 % at once
