"""The screenshot of product tiles with colours and pictures (issue 22 point 8), for the README.

Run under a virtual display, like the other till screenshots::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m tests.ui.make_tiles_screenshot

The demo till (its groups coloured through the catalogue's colour field) then pulls a feed
page as the server sends it after ``pos-server catalogue import``: pictures (PNG, drawn here)
for some coffee drinks and one drink with a colour of its own. The coffee group is grabbed
into ``docs/screenshots/till-tiles.png`` (the 1366x768 screen).
"""

from __future__ import annotations

import base64
import sys
import tempfile

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication

from pos_app.commands.demo_data import main as demo_data
from pos_app.commands.store_factory import open_till_store
from pos_app.commands.till_app import TillOptions
from pos_app.db.uow import SystemClock
from pos_app.services.feed import Change, FeedService
from tests.ui.make_screenshots import settle, shoot, sign_in_and_open_shift, start_till

PICTURED = {"espresso": "#5b3a29", "cappuccino": "#c8a27a", "latte": "#e6cfa8",
            "mocha": "#6b4226"}  # fmt: skip
OWN_COLOUR = {"mocha": "#7b2d8b"}


def cup(fill: str) -> bytes:
    """A 96x96 PNG of a cup of ``fill``: the kind of picture a shop uploads for a tile."""
    image = QImage(96, 96, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#3b2a20"), 4))
    painter.setBrush(QColor("#ffffff"))
    painter.drawEllipse(QRectF(60, 38, 26, 26))  # the handle
    painter.drawRoundedRect(QRectF(14, 26, 56, 56), 10, 10)
    painter.setBrush(QColor(fill))
    painter.drawRoundedRect(QRectF(20, 32, 44, 18), 6, 6)  # the drink
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def feed_pictures(data_dir: str) -> None:
    """Apply a ``product`` change per pictured drink, as the server's feed carries it."""
    store = open_till_store(data_dir)
    with store:
        with store.unit_of_work(durable=False) as uow:
            products = {pid: uow.products.get(pid) for pid in PICTURED}
        page = []
        for n, (pid, fill) in enumerate(PICTURED.items(), start=1):
            product = products[pid]
            assert product is not None
            page.append(Change(n, "product", pid, {
                "product_id": pid, "name": product.name, "price": product.price,
                "barcode": product.barcode, "group_id": product.group_id,
                "tags": sorted(product.tags), "active": True, "colour": OWN_COLOUR.get(pid),
                "image": base64.b64encode(cup(fill)).decode("ascii")}))  # fmt: skip
        result = FeedService(store.unit_of_work, SystemClock()).apply_page(0, page, len(page))
        assert result.skipped == {}, result.skipped


def main(lang: str = "ru") -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        demo_data(["--data-dir", f"{tmp}/till"])
        feed_pictures(f"{tmp}/till")
        options = TillOptions(data_dir=f"{tmp}/till", lang=lang, printer=None,
                              customer_display="off")  # fmt: skip
        runtime, store = start_till(app, options)
        sign_in_and_open_shift(runtime.window, "1111")
        settle(0.5)
        shoot("tiles")
        runtime.stop(app)
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:2]))
