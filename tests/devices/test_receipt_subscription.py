"""Seed 003 on paper: a buyer not subscribed to the venue's Telegram bot gets the one-time
link and its QR code (ESC/POS ``GS ( k``) printed on the receipt; a receipt without a link
prints neither. Decoded by the printer emulator's decoder, as the printer would print it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from pos_app.devices.emulators.escpos_decoder import EscposDecoder
from pos_app.devices.escpos_printer import EscposPrinter, PrinterConfig
from pos_app.devices.layout import EscposLayout
from pos_app.services.dto import GuestView, LineView, PaymentView, SaleView
from tests.devices.receipts import a_receipt

LINK = "https://t.me/venue_test_bot?start=Zq3xY1-one-time"
AT = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def _decoded(document: bytes, columns: int = 48) -> str:
    decoder = EscposDecoder("epson", columns)
    decoder.feed(document)
    job = decoder.finish()
    assert not job.warnings, job.warnings
    return job.text


def _sale() -> SaleView:
    return SaleView(
        "s1", "closed", "T1-000009", AT, AT,
        (LineView(1, "laser", "Лазерная эпиляция", 1, 1_250_000, 1_250_000, 0, 1_250_000),),
        GuestView("pavel", "Павел", None),
        (PaymentView("cash", 1_062_500, 1_062_500, 0, AT),),
        1_250_000, 187_500, 1_062_500, 1_062_500, 0, 0,
    )  # fmt: skip


def test_the_link_and_its_qr_are_printed_after_the_receipt_qr() -> None:
    printer = EscposPrinter(PrinterConfig(profile="epson"))
    document = EscposLayout(printer).sale_receipt(_sale(), venue_name="Салон",
                                                  printed_at=AT, subscribe_link=LINK)  # fmt: skip
    text = _decoded(document)
    assert "Ваша карта в Telegram:" in text
    assert f"[QR:{LINK}]" in text
    assert text.index("[QR:receipt:T1-000009]") < text.index(f"[QR:{LINK}]") < text.index("[CUT]")
    store = b"\x1d(k" + (len(LINK) + 3).to_bytes(2, "little") + b"1P0" + LINK.encode()
    assert store in document  # the QR's data as ESC/POS stores it (GS ( k, fn 80)


def test_no_link_no_telegram_lines() -> None:
    printer = EscposPrinter(PrinterConfig(profile="epson"))
    text = _decoded(EscposLayout(printer).sale_receipt(_sale(), venue_name="Салон", printed_at=AT))
    assert "Telegram" not in text and "t.me" not in text
    assert text.count("[QR:") == 1


def test_a_long_link_wraps_within_32_columns() -> None:
    printer = EscposPrinter(PrinterConfig(profile="epson", columns=32))
    receipt = replace(a_receipt(), subscribe_link=LINK)
    text = _decoded(EscposLayout(printer).receipt(receipt), 32)
    assert f"[QR:{LINK}]" in text
    assert all(len(line) <= 32 for line in text.splitlines() if not line.startswith("["))
