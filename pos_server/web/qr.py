"""A QR code as inline SVG (no image request, nothing from outside; the page's CSP allows it)."""

from __future__ import annotations

from urllib.parse import urlencode

import qrcode
import qrcode.image.svg


def qr_svg(text: str) -> str:
    """An ``<svg>`` element of ``text`` (a path: sharp at any size)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    made = image.to_string()
    out = made.decode() if isinstance(made, bytes) else str(made)
    return out[out.index("<svg") :]  # without the XML declaration: it is inside HTML


def enrolment_uri(server_url: str, code: str) -> str:
    """What the QR code of a new terminal says: the server and the one-time code."""
    return "tillkeeper://enrol?" + urlencode({"server": server_url.rstrip("/"), "code": code})
