"""A picture of what the emulated printer printed: ``job-NNNN.png`` next to the ``.txt``.

The decoded lines are drawn in a monospace font at a thermal printer's scale (12 dots per
column: 32 columns = 384 dots = 58 mm paper, 48 columns = 576 dots = 80 mm), QR markers as
real, scannable QR codes, and cuts and drawer kicks as visible marks, so a demo or a reviewer
sees the receipt the customer would get. The font is the DejaVu Sans Mono that python-barcode
(a python-escpos dependency) ships, so Cyrillic renders without system fonts.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from functools import cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

DOTS_PER_COLUMN = 12
LINE_HEIGHT = 24
MARGIN = 12
QR_MODULE = 4
_FONT_SIZE = 20  # DejaVu Sans Mono advances 0.6 em: 12 dots per character
_SYSTEM_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSansMono.ttf"),
    Path("C:/Windows/Fonts/consola.ttf"),
)
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def _font(size: int = _FONT_SIZE) -> Font:
    candidates = list(_SYSTEM_FONTS)
    try:
        import barcode

        candidates.insert(0, Path(barcode.__file__).parent / "fonts" / "DejaVuSansMono.ttf")
    except ImportError:
        pass
    for path in candidates:
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    log.warning("no monospace TrueType font found: PNG receipts use Pillow's default font")
    return ImageFont.load_default(size)


def _qr_image(data: str) -> Image.Image:
    code = qrcode.QRCode(border=1, box_size=QR_MODULE)
    code.add_data(data)
    code.make(fit=True)
    image: Image.Image = code.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("L")


def _block(line: str) -> Image.Image | str:
    """A QR marker becomes its image; everything else stays a line of text."""
    if line.startswith("[QR:") and line.endswith("]"):
        return _qr_image(line[4:-1])
    return line


def render_png(
    lines: Sequence[str], columns: int, path: Path, double_lines: Collection[int] = ()
) -> Path:
    """Draw the decoded ``lines`` onto a paper-wide strip and save it as PNG at ``path``;
    lines whose index is in ``double_lines`` are printed double width and height."""
    width = columns * DOTS_PER_COLUMN + 2 * MARGIN
    blocks = [_block(line) for line in lines]
    height = 2 * MARGIN + sum(
        b.height + LINE_HEIGHT // 2
        if isinstance(b, Image.Image)
        else LINE_HEIGHT * (2 if i in double_lines else 1)
        for i, b in enumerate(blocks)
    )
    page = Image.new("L", (width, max(height, LINE_HEIGHT + 2 * MARGIN)), 255)
    draw = ImageDraw.Draw(page)
    y = MARGIN
    for i, block in enumerate(blocks):
        if isinstance(block, Image.Image):
            page.paste(block, ((width - block.width) // 2, y))
            y += block.height + LINE_HEIGHT // 2
        elif i in double_lines:
            draw.text((MARGIN, y), block, font=_font(2 * _FONT_SIZE), fill=0)
            y += 2 * LINE_HEIGHT
        else:
            _draw_line(draw, block, width, y)
            y += LINE_HEIGHT
    page.save(path, "PNG", optimize=True)
    return path


def _draw_line(draw: ImageDraw.ImageDraw, line: str, width: int, y: int) -> None:
    middle = y + LINE_HEIGHT // 2
    if line == "[CUT]":
        for x in range(0, width, 16):
            draw.line((x, middle, x + 8, middle), fill=0, width=2)
        draw.text((MARGIN, y), "✂", font=_font(), fill=0)
    elif line == "[DRAWER]":
        draw.rectangle((MARGIN, y + 2, width - MARGIN, y + LINE_HEIGHT - 2), outline=128)
        draw.text((MARGIN + 6, y), "cash drawer opened", font=_font(), fill=96)
    else:
        draw.text((MARGIN, y), line, font=_font(), fill=0)
