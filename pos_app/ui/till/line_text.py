"""How a sale line is named on the till's screens (the basket and the customer display show
it the same way): a time package with its minutes, a bundle with its parts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from pos_app.services.dto import LineView


def line_title(line: LineView) -> str:
    """The line's name; a time package's with its minutes ("Game time, 60 min")."""
    if line.minutes is None:
        return line.name
    title = QCoreApplication.translate("SaleLine", "%1, %2 min")
    return title.replace("%1", line.name).replace("%2", str(line.minutes))


def line_parts(line: LineView) -> str:
    """A bundle's parts, one indented line each ("  Latte × 1"); "" for a plain product."""
    return "\n".join(f"  {name} × {qty}" for name, qty in line.parts)
