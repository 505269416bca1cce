"""Factory for receipts used by the printing tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from pos_app.devices.receipt import ReceiptData, ReceiptDiscount, ReceiptLine, ReceiptPayment


def a_receipt(**changes: Any) -> ReceiptData:
    receipt = ReceiptData(
        number="T1-000042",
        printed_at=datetime(2025, 1, 2, 9, 30, tzinfo=UTC),
        venue_name="Кофейня Зерно",
        venue_address="Москва, ул. Пушкина, д. 1",
        tax_id="7701234567",
        cashier="Анна",
        lines=(
            ReceiptLine("Капучино большой с дополнительной порцией сиропа", 2, 25000, 50000, 5000),
            ReceiptLine("Круассан", 1, 18000, 18000),
        ),
        subtotal=68000,
        discount_total=5000,
        discounts=(ReceiptDiscount("Счастливые часы 10%", 5000),),
        total=63000,
        payments=(ReceiptPayment("Наличные", 63000),),
        tendered=100000,
        change=37000,
        points_spent=1000,
        points_earned=630,
        points_balance=12630,
        qr="https://pos.example/r/T1-000042",
        kick_drawer=True,
    )
    return replace(receipt, **changes)
