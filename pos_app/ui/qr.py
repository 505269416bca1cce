"""A QR code as a Qt pixmap (the ``qrcode`` package makes the matrix, Qt draws it)."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap


def qr_pixmap(text: str, size: int) -> QPixmap:
    """``text`` as a black-on-white QR code about ``size`` pixels square (whole modules)."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    module = max(size // len(matrix), 1)
    side = module * len(matrix)
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.white)
    painter = QPainter(pixmap)
    black = QColor("black")
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(QRect(x * module, y * module, module, module), black)
    painter.end()
    return pixmap
