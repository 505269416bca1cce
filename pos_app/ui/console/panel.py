"""The incoming-orders panel: open orders, oldest at the top and new ones appended at the
bottom, a badge with the number of orders waiting to be accepted, and this console's alert
settings (sound on/off, repeat until acknowledged)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.orders import ConsoleSettings
from pos_app.ui.console.orders_model import WIDTHS, OrdersModel

REPEATS = (0, 10, 30, 60)


def configure_table(view: QTableView, stretch: int = 3) -> None:
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(30)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    # fixed widths, never ResizeToContents: that measures every row on every change
    for column, width in enumerate(WIDTHS):
        if width:
            header.resizeSection(column, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)


class IncomingPanel(QWidget):
    """Signals: ``order_selected(order_id)``, ``settings_changed(ConsoleSettings)``,
    ``acknowledged()`` (the operator heard the alert)."""

    order_selected = Signal(str)
    settings_changed = Signal(object)
    acknowledged = Signal()

    def __init__(self, model: OrdersModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        title = QLabel(self.tr("Incoming orders"))
        title.setObjectName("panelTitle")
        self.badge = QLabel("0")
        self.badge.setObjectName("badge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.setToolTip(self.tr("Orders waiting to be accepted"))
        self.sound = QPushButton(self.tr("Sound"))
        self.sound.setObjectName("soundToggle")
        self.sound.setCheckable(True)
        self.repeat = QComboBox()
        self.repeat.setObjectName("repeatAlert")
        self.repeat.addItem(self.tr("Alert once"), 0)
        for seconds in REPEATS[1:]:
            self.repeat.addItem(self.tr("Repeat every {0} s").format(seconds), seconds)
        self.ack = QPushButton(self.tr("Acknowledge"))
        self.ack.setObjectName("acknowledgeButton")
        self.ack.setEnabled(False)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addWidget(self.badge)
        head.addStretch(1)
        head.addWidget(self.ack)
        head.addWidget(self.sound)
        head.addWidget(self.repeat)
        self.view = QTableView()
        self.view.setObjectName("incomingOrders")
        self.view.setModel(model)
        configure_table(self.view)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        model.row_leaving.connect(self._row_leaving)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        self.sound.toggled.connect(self._emit_settings)
        self.repeat.currentIndexChanged.connect(self._emit_settings)
        self.ack.clicked.connect(self.acknowledged)
        self._loading = False

    def load_settings(self, settings: ConsoleSettings) -> None:
        self._loading = True
        self.sound.setChecked(settings.sound_enabled)
        index = self.repeat.findData(settings.repeat_seconds)
        self.repeat.setCurrentIndex(max(index, 0))
        self._loading = False
        self._update_sound_text()

    @property
    def settings(self) -> ConsoleSettings:
        return ConsoleSettings(self.sound.isChecked(), int(self.repeat.currentData()))

    def _emit_settings(self) -> None:
        self._update_sound_text()
        if not self._loading:
            self.settings_changed.emit(self.settings)

    def _update_sound_text(self) -> None:
        self.sound.setText(self.tr("Sound on") if self.sound.isChecked() else self.tr("Sound off"))
        self.repeat.setEnabled(self.sound.isChecked())

    def set_waiting(self, count: int, alerting: bool) -> None:
        self.badge.setText(str(count))
        self.badge.setProperty("hot", count > 0)
        self.badge.style().unpolish(self.badge)
        self.badge.style().polish(self.badge)
        self.ack.setEnabled(alerting)

    def select(self, order_id: str) -> None:
        row = self.model.row_of(order_id)
        if row is None:
            return
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)  # fmt: skip
        self.view.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)

    def selected_order(self) -> str | None:
        index = self.view.selectionModel().currentIndex()
        return self.model.order(index.row()).order_id if index.isValid() else None

    def _row_leaving(self, row: int) -> None:
        """The selected order leaves the panel (cancelled, completed, voided): clear the
        selection instead of letting Qt move it to a neighbour, which would put another
        guest's order under the operator's next click (issue 20: one slow double-click
        cancelled two orders). The detail keeps showing the order that was acted on."""
        current = self.view.selectionModel().currentIndex()
        if current.isValid() and current.row() == row:
            self.view.selectionModel().clear()

    def _current_changed(self, current: object, _previous: object) -> None:
        order_id = self.selected_order()
        if order_id is not None:
            self.order_selected.emit(order_id)
