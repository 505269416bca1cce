"""A product's or a product group's tile look on the till: a colour and a small picture.

Why checked here: the picture travels to every till inside the change feed (base64 in the
``product`` / ``product_group`` change), so it must be small and really be a picture. Pillow is
not a dependency, so the format and the size in pixels are read from the file's header:
PNG, JPEG and WebP (lossy, lossless and extended) are taken, anything else is refused.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

MAX_IMAGE_BYTES = 64 * 1024  # a 200x200 tile picture is far smaller; every till stores it
MAX_IMAGE_SIDE = 1024  # pixels: a tile is ~160 px wide, a bigger picture only costs memory
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_JPEG_SIZE_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class TileImageError(ValueError):
    """Not a picture the till can show; the message says why."""


def check_colour(value: str) -> str:
    """``#rrggbb``, lower case; anything else (names, ``#rgb``, CSS) is refused."""
    text = value.strip()
    if not _HEX_COLOUR.fullmatch(text):
        raise ValueError(f"a tile colour is #rrggbb, not {value!r}")
    return text.lower()


def image_size(data: bytes) -> tuple[str, int, int]:
    """The format (``png``, ``jpeg``, ``webp``) and the width and height from the header."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    if data.startswith(b"\xff\xd8"):
        return ("jpeg", *_jpeg_size(data))
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        return ("webp", *_webp_size(data))
    raise TileImageError("the picture is not a PNG, JPEG or WebP file")


def _jpeg_size(data: bytes) -> tuple[int, int]:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            break
        marker = data[at + 1]
        if marker == 0xFF:  # padding
            at += 1
            continue
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if marker in _JPEG_SIZE_MARKERS and at + 9 <= len(data):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    raise TileImageError("the JPEG file has no frame header")


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    raise TileImageError("the WebP file has no known image chunk")


def check_image(data: bytes) -> bytes:
    """The picture as given, once it is small, a PNG/JPEG/WebP and of a sane size in pixels."""
    if len(data) > MAX_IMAGE_BYTES:
        raise TileImageError(
            f"the picture is {len(data)} bytes; at most {MAX_IMAGE_BYTES} (it goes to every till)"
        )
    _kind, width, height = image_size(data)
    if not (0 < width <= MAX_IMAGE_SIDE and 0 < height <= MAX_IMAGE_SIDE):
        raise TileImageError(
            f"the picture is {width}x{height} pixels; at most {MAX_IMAGE_SIDE} on a side"
        )
    return data


def decode_image(value: object) -> object:
    """Base64 text (or a ``data:image/...;base64,`` URI) in a file or a form: the bytes."""
    if not isinstance(value, str):
        return value
    text = value.split(",", 1)[1] if value.startswith("data:") else value
    if len(text) > MAX_IMAGE_BYTES * 2:  # do not decode megabytes just to refuse them
        raise TileImageError(f"the picture is larger than {MAX_IMAGE_BYTES} bytes")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("a picture is base64 text or a data: URI") from exc


def encode_image(data: bytes | None) -> str | None:
    """For the feed and exports: base64 text."""
    return None if data is None else base64.b64encode(data).decode("ascii")


TileColour = Annotated[str, AfterValidator(check_colour)]
TileImage = Annotated[bytes, BeforeValidator(decode_image), AfterValidator(check_image)]
