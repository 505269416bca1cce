"""Catalogue: product groups as buttons, products as big tiles, and a search field.

Touch and mouse pick a tile. A tile shows a band in the product's colour, else its group's, and
the product's picture, else its group's (both set in the back office and pulled with the
catalogue; pictures are decoded and scaled once, then cached by content). The keyboard types
in the search field (name, code or barcode) and Enter adds the first match. The catalogue
itself is loaded once by the window (off the GUI thread) and handed in as plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.till.format import money
from pos_app.ui.till.ports import Catalogue, CatalogueGroup

if TYPE_CHECKING:
    from pos_app.domain.catalog import Product

COLUMNS = 4
GROUP_COLUMNS = 4
ICON_SIZE = QSize(56, 56)


class CataloguePanel(QWidget):
    product_chosen = Signal(str)  # product id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalogue = Catalogue()
        self._group_id: str | None = None
        self._groups_by_id: dict[str, CatalogueGroup] = {}
        self._icons: dict[bytes, QIcon | None] = {}  # a picture's bytes: its scaled icon
        self.search = QLineEdit()
        self.search.setObjectName("productSearch")
        self.search.setPlaceholderText(self.tr("Search by name or code (F3)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._show_tiles)
        self.search.returnPressed.connect(self._add_first_match)
        self._groups_row = QGridLayout()  # rows of group buttons: all groups always in view
        self._groups_row.setSpacing(6)
        self._group_buttons = QButtonGroup(self)
        self._group_buttons.setExclusive(True)
        self._tiles_host = QWidget()
        self._tiles = QGridLayout(self._tiles_host)
        self._tiles.setSpacing(8)
        self._tiles.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._tiles_host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(self._groups_row)
        layout.addWidget(scroll, 1)

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self._groups_by_id = {group.group_id: group for group in catalogue.groups}
        for button in self._group_buttons.buttons():
            self._group_buttons.removeButton(button)
            button.deleteLater()
        for group in catalogue.groups:
            button = QPushButton(group.name)
            button.setObjectName("groupButton")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Tab, never a click
            button.clicked.connect(lambda _=False, gid=group.group_id: self.show_group(gid))
            self._group_buttons.addButton(button)
            count = len(self._group_buttons.buttons()) - 1
            self._groups_row.addWidget(button, count // GROUP_COLUMNS, count % GROUP_COLUMNS)
        if catalogue.groups:
            self._group_buttons.buttons()[0].setChecked(True)
            self.show_group(catalogue.groups[0].group_id)

    def show_group(self, group_id: str) -> None:
        self._group_id = group_id
        self.search.clear()
        self._show_tiles()

    def visible_products(self) -> list[Product]:
        """What the tiles show now: search matches, or the chosen group's products."""
        if self.search.text().strip():
            return self._catalogue.search(self.search.text())
        for group in self._catalogue.groups:
            if group.group_id == self._group_id:
                return list(group.products)
        return []

    def _show_tiles(self) -> None:
        while self._tiles.count():
            item = self._tiles.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._place(self.visible_products())

    def _place(self, products: Sequence[Product]) -> None:
        for i, product in enumerate(products):
            tile = QToolButton()
            tile.setObjectName("productTile")
            tile.setText(f"{product.name}\n{money(product.price)}")
            tile.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            tile.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Tab, never a click
            tile.setMinimumSize(120, 72)
            tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            group = self._groups_by_id.get(product.group_id or "")
            colour = product.colour or (group.colour if group is not None else None)
            if colour is not None:  # a band in the product's (or its group's) colour
                tile.setProperty("colour", colour)
                tile.setStyleSheet(f"#productTile {{ border-left: 10px solid {colour}; }}")
            icon = self._icon(product.image) or self._icon(group.image if group else None)
            if icon is not None:
                tile.setIcon(icon)
                tile.setIconSize(ICON_SIZE)
                tile.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
                tile.setProperty("hasImage", True)
            tile.clicked.connect(lambda _=False, pid=product.id: self.product_chosen.emit(pid))
            self._tiles.addWidget(tile, i // COLUMNS, i % COLUMNS)

    def _icon(self, image: bytes | None) -> QIcon | None:
        """The picture scaled to the tile's icon size, decoded once per distinct picture; None
        without one or when Qt cannot read it (the tile is then plain)."""
        if not image:
            return None
        if image not in self._icons:
            pixmap = QPixmap()
            if pixmap.loadFromData(QByteArray(image)):
                scaled = pixmap.scaled(ICON_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)  # fmt: skip
                self._icons[image] = QIcon(scaled)
            else:
                self._icons[image] = None
        return self._icons[image]

    def _add_first_match(self) -> None:
        matches = self._catalogue.search(self.search.text())
        if matches:
            self.product_chosen.emit(matches[0].id)
            self.search.clear()
