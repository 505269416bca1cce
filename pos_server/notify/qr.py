"""The QR code of a guest's card as PNG bytes, for Telegram's sendPhoto."""

from __future__ import annotations

import io

import qrcode


def qr_png(payload: str) -> bytes:
    code = qrcode.QRCode(border=2, box_size=8)
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()
