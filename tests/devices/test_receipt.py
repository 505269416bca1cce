"""Receipt layout from the template at 32, 42 and 48 columns."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.devices.layout import receipt_for
from pos_app.devices.print_document import Align, Cut, DrawerKick, Qr, Text, to_plain_text
from pos_app.devices.receipt import ReceiptRenderer, render_receipt, two_columns
from pos_app.services.dto import GroupView, GuestView, LineView, PaymentView, SaleView
from pos_app.services.receipt_points import ReceiptPoints
from tests.devices.receipts import a_receipt


@pytest.mark.parametrize("columns", [32, 42, 48])
def test_every_line_fits_the_paper(columns: int) -> None:
    for op in render_receipt(a_receipt(), columns):
        if isinstance(op, Text):
            limit = columns // 2 if op.double else columns
            assert len(op.text) <= limit, op


def test_receipt_shows_totals_discounts_points_payments_qr_cut_and_drawer() -> None:
    text = to_plain_text(render_receipt(a_receipt(), 48), 48)
    for expected in (
        "Кофейня Зерно",
        "ИНН 7701234567",
        "Подытог" + " " * 35 + "680,00",
        "Счастливые часы 10%",
        "-50,00",
        "ИТОГО",
        "630,00",
        "Наличные" + " " * 34 + "630,00",
        "Получено" + " " * 32 + "1 000,00",
        "Сдача" + " " * 37 + "370,00",
        "Списано баллов" + " " * 26 + "10,00 б.",
        "Начислено баллов" + " " * 25 + "6,30 б.",
        "Баланс баллов" + " " * 26 + "126,30 б.",
        "Дата                            02.01.2025 12:30",  # Moscow time, not UTC
        "[QR:https://pos.example/r/T1-000042]",
    ):
        assert expected in text, expected
    assert text.rstrip().endswith("[CUT]\n[DRAWER]")


def test_optional_lines_disappear_when_empty() -> None:
    receipt = a_receipt(
        tax_id="", points_spent=0, points_earned=0, points_balance=None, qr="",
        kick_drawer=False, discounts=(), discount_total=0,
    )  # fmt: skip
    ops = render_receipt(receipt, 32)
    text = to_plain_text(ops, 32)
    assert "ИНН" not in text and "баллов" not in text and "Скидка всего" not in text
    assert not any(isinstance(op, Qr | DrawerKick) for op in ops)
    assert sum(isinstance(op, Cut) for op in ops) == 1


def test_a_till_without_a_venue_name_prints_no_name_line() -> None:
    """No product or demo name stands in for the venue's (services/venue_name.py)."""
    text = to_plain_text(render_receipt(a_receipt(venue_name="", venue_address=""), 32), 32)
    assert text.splitlines()[0].strip() == "ИНН 7701234567"  # no empty name line above it
    assert "Кофейня" not in text and "Демо" not in text


def test_total_line_is_bold_double_and_fits_half_width() -> None:
    total = next(
        op for op in render_receipt(a_receipt(), 32) if "ИТОГО" in op.__dict__.get("text", "")
    )
    assert isinstance(total, Text) and total.bold and total.double
    assert total.text == "ИТОГО" + " " * 5 + "630,00"


def test_long_values_wrap_instead_of_overflowing() -> None:
    rows = two_columns("Очень длинное название скидки для постоянных гостей", "-1 234,56", 32)
    assert all(len(r) <= 32 for r in rows)
    assert rows[-1].endswith("-1 234,56")


def test_custom_template_and_unsupported_width(tmp_path: Path) -> None:
    template = tmp_path / "t.tpl"
    template.write_text("# comment\n<right>{number}\n@feed 2\n@cut\n", encoding="utf-8")
    ops = ReceiptRenderer(32, template).render(a_receipt())
    assert ops[0] == Text("T1-000042", Align.RIGHT)
    with pytest.raises(ValueError, match="columns"):
        ReceiptRenderer(40)
    template.write_text("@nonsense\n", encoding="utf-8")
    with pytest.raises(ValueError, match="@nonsense"):
        ReceiptRenderer(32, template).render(a_receipt())


def test_a_sale_paid_in_parts_prints_one_line_per_method_tendered_change_and_points() -> None:
    """Cash in two parts (100, then 200 for the 89 left) and points: one "Наличные" line, the
    cash handed over and the change; the guest's points from ``services/receipt_points``."""
    at = datetime(2025, 1, 2, 9, 30, tzinfo=UTC)
    sale = SaleView(
        "s1", "closed", "T1-000007", at, at,
        (LineView(1, "latte", "Латте", 2, 21000, 42000, 4200, 37800),),
        GuestView("g6", "Алексей", GroupView("g10", "Гость 10 %", 1000)),
        (PaymentView("points", 18900, 18900, 0, at), PaymentView("cash", 10000, 10000, 0, at),
         PaymentView("cash", 8900, 20000, 11100, at)),
        42000, 4200, 37800, 37800, 0, 11100,
    )  # fmt: skip
    receipt = receipt_for(sale, venue_name="Кофейня",
                          points=ReceiptPoints(spent=18900, earned=945, balance_after=213045))
    assert [(p.method, p.amount) for p in receipt.payments] == [("Баллы", 18900),
                                                               ("Наличные", 18900)]
    text = to_plain_text(render_receipt(receipt, 32), 32)
    for expected in ("Наличные" + " " * 18 + "189,00", "Получено" + " " * 18 + "300,00",
                     "Сдача" + " " * 21 + "111,00", "Списано баллов" + " " * 9 + "189,00 б.",
                     "Начислено баллов" + " " * 9 + "9,45 б.",
                     "Баланс баллов" + " " * 8 + "2 130,45 б."):  # fmt: skip
        assert expected in text, text
    assert text.count("Наличные") == 1


def test_without_cash_neither_received_nor_change_is_printed() -> None:
    text = to_plain_text(render_receipt(a_receipt(tendered=0, change=0), 42), 42)
    assert "Получено" not in text and "Сдача" not in text


def test_a_refund_receipt_does_not_thank_for_a_purchase() -> None:
    """Issue 22: the refund receipt ended with the sale's "Спасибо за покупку!"."""
    from pos_app.devices.refund_layout import REFUND_CLOSING, refund_receipt_for
    from pos_app.services.refunds import RefundReceipt, RefundReceiptLine

    refund = RefundReceipt("r1", "T1-000042", datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
                           (RefundReceiptLine("Латте", 1, 210_00, 210_00),),
                           (("cash", 210_00),), "", "")  # fmt: skip
    text = to_plain_text(render_receipt(refund_receipt_for(refund, venue_name="Кофейня")), 48)
    assert "ВОЗВРАТ" in text and REFUND_CLOSING in text
    assert "Спасибо за покупку" not in text
    sale = to_plain_text(render_receipt(a_receipt()), 48)
    assert "Спасибо за покупку!" in sale


def test_a_sale_paying_a_guest_order_prints_the_orders_number() -> None:
    """Issue 20 point 5: the number the operator called out is on the guest's receipt."""
    assert "Заказ" not in to_plain_text(render_receipt(a_receipt(), 42), 42)
    text = to_plain_text(render_receipt(a_receipt(order_number="A-017"), 42), 42)
    assert "Заказ" + " " * 32 + "A-017" in text
