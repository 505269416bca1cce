"""A slip of the guest card (``services/slips.py``) laid out as a plain report: the lines in
Russian, and the cash drawer opened only when cash moves (a cash top-up or its refund)."""

from __future__ import annotations

from pos_app.devices.emulators.escpos_decoder import decode
from pos_app.devices.escpos_printer import EscposPrinter, PrinterConfig
from pos_app.devices.layout import EscposLayout

LINES = ["ПОПОЛНЕНИЕ ДЕПОЗИТА", "Сумма 500,00 ₽"]


def test_the_drawer_opens_only_when_asked() -> None:
    layout = EscposLayout(EscposPrinter(PrinterConfig(columns=42)))
    cash = decode(layout.report(LINES, kick_drawer=True), brand="epson", columns=42)
    card = decode(layout.report(LINES), brand="epson", columns=42)
    assert (cash.drawer_kicks, card.drawer_kicks) == (1, 0)
    assert "ПОПОЛНЕНИЕ ДЕПОЗИТА" in cash.lines and cash.cuts == 1
