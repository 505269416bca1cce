"""Receipt layout from the template at 32, 42 and 48 columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.devices.print_document import Align, Cut, DrawerKick, Qr, Text, to_plain_text
from pos_app.devices.receipt import ReceiptRenderer, render_receipt, two_columns
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
        "Наличные" + " " * 32 + "1 000,00",
        "Сдача",
        "Списано баллов",
        "Начислено баллов",
        "Баланс баллов",
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
