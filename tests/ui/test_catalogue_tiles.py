"""Product tiles (issue 22 point 8): a band in the product's colour, else its group's, and
the product's picture, else its group's, scaled to the tile and decoded once."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from pos_app.domain.catalog import Product
from pos_app.ui.till.catalogue import ICON_SIZE, CataloguePanel
from pos_app.ui.till.ports import Catalogue, CatalogueGroup
from tests.tile_pictures import png

BIG = png(300, 200, (30, 120, 200))  # scaled down to the tile's icon
SMALL = png(8, 8)


def _catalogue() -> Catalogue:
    coffee = CatalogueGroup("coffee", "Кофе", (
        Product("latte", "Латте", 21000, "coffee", image=BIG),
        Product("raf", "Раф", 24000, "coffee", colour="#112233"),
        Product("broken", "Битая картинка", 100, "coffee", image=b"\x89PNG not really"),
    ), colour="#8d5a3b", image=SMALL)  # fmt: skip
    plain = CatalogueGroup("games", "Игры", (Product("hour", "Час", 15000, "games"),))
    return Catalogue((coffee, plain))


def _tiles(panel: CataloguePanel) -> dict[str, QToolButton]:
    tiles = [t for t in panel.findChildren(QToolButton, "productTile") if not t.isHidden()]
    return {t.text().split("\n")[0]: t for t in tiles}


def test_tiles_show_the_products_colour_else_the_groups_and_its_picture(qtbot: QtBot) -> None:
    panel = CataloguePanel()
    qtbot.addWidget(panel)
    panel.set_catalogue(_catalogue())
    panel.show()

    tiles = _tiles(panel)
    assert tiles["Латте"].property("colour") == "#8d5a3b"  # the group's
    assert tiles["Раф"].property("colour") == "#112233"  # its own
    assert "border-left: 10px solid #112233" in tiles["Раф"].styleSheet()
    latte = tiles["Латте"].icon().pixmap(ICON_SIZE)
    assert not latte.isNull() and latte.width() <= ICON_SIZE.width()
    assert latte.toImage().pixelColor(latte.width() // 2, latte.height() // 2).blue() > 150
    raf = tiles["Раф"].icon().pixmap(ICON_SIZE)  # no picture of its own: the group's
    assert raf.toImage().pixelColor(raf.width() // 2, raf.height() // 2).red() > 150
    assert tiles["Битая картинка"].property("hasImage") is True  # the group's, not the bad one
    assert len(panel._icons) == 3  # BIG, SMALL and the unreadable one, each decoded once

    panel.show_group("games")
    qtbot.waitUntil(lambda: "Час" in _tiles(panel), timeout=2000)  # new tiles show queued
    hour = _tiles(panel)["Час"]
    assert hour.property("colour") is None and hour.icon().isNull() and not hour.styleSheet()
