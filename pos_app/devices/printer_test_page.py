"""The printer test page: what the settings screen's "Print a test page" sends.

It shows what installers check on a new printer: the paper width (a full-width ruler), that
Russian prints in the configured code page, bold and double-size text, a QR code and the cut.
"""

from __future__ import annotations

from datetime import datetime

from pos_app.devices.print_document import Align, Cut, Feed, PrintOp, Qr, Text


def render_test_page(columns: int, description: str, now: datetime) -> list[PrintOp]:
    ruler = "".join(str(i % 10) for i in range(1, columns + 1))
    return [
        Text("ТЕСТОВАЯ СТРАНИЦА", Align.CENTER, bold=True, double=True),
        Text("Test page", Align.CENTER),
        Feed(),
        Text(description[:columns]),
        Text(now.strftime("%Y-%m-%d %H:%M UTC")[:columns]),
        Text(f"{columns} columns:"[:columns]),
        Text(ruler),
        Text("Съешь же ещё этих мягких французских булок"[:columns]),
        Text("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"[:columns]),
        Text("bold / жирный", bold=True),
        Qr("pos-app test page"),
        Feed(2),
        Cut(partial=True),
    ]
