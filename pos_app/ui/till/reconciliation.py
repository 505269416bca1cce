"""The manager's "Sync problems" screen: the operations the server rejected or answered with a
conflict (``SyncQueue.items``), which are never retried, so someone has to look at them.

Each row says when, what kind of operation, what it was about (``reconciliation_text``), the
server's reason and whether a manager has resolved it. "Mark resolved" takes the selected item
off the open list (``SyncQueue.resolve``); every read and write runs on the op runner, and the
open count goes back to the status bar (``count_did_change``). Who may open it is decided
before: ``ManagerFlow.show_sync_problems`` (``Action.RECONCILE``, a manager's PIN for a
cashier).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.ports_sync import ReconciliationItem
from pos_app.ui.till.messages import cashier_text
from pos_app.ui.till.reconciliation_text import describe, kind_text, reason_text

if TYPE_CHECKING:
    from pos_app.services.sync_queue import SyncQueue
    from pos_app.ui.op_runner import OpRunner

Index = QModelIndex | QPersistentModelIndex
translate = QCoreApplication.translate
OPEN_COLOUR, RESOLVED_COLOUR = "#a61b1b", "#5d6d7e"


@dataclass(frozen=True, slots=True)
class Loaded:
    """What the screen shows: the items listed, and how many are open in all."""

    items: tuple[ReconciliationItem, ...]
    open_count: int


def load(queue: SyncQueue, *, include_resolved: bool = False) -> Loaded:
    """On the op worker: the items, oldest operation first, and the open count."""
    items = tuple(queue.items(include_resolved=include_resolved))
    return Loaded(items, queue.stats().open_items)


def _when(item: ReconciliationItem, zone: tzinfo | None = None) -> str:
    """In the venue's time zone, as the till's clock (None: the computer's)."""
    return item.at.astimezone(zone).strftime("%d.%m %H:%M")


def _status(item: ReconciliationItem) -> str:
    if item.resolved:
        return translate("Reconciliation", "resolved")
    return translate("Reconciliation", "open")


COLUMNS: tuple[tuple[str, Callable[[ReconciliationItem], str]], ...] = (
    (str(QT_TRANSLATE_NOOP("Reconciliation", "When")), _when),
    (str(QT_TRANSLATE_NOOP("Reconciliation", "Operation")), lambda i: kind_text(i.kind)),
    (str(QT_TRANSLATE_NOOP("Reconciliation", "About")), lambda i: describe(i.kind, i.payload)),
    (str(QT_TRANSLATE_NOOP("Reconciliation", "Server's answer")),
     lambda i: reason_text(i.reason, i.message)),
    (str(QT_TRANSLATE_NOOP("Reconciliation", "Status")), _status),
)  # fmt: skip
STATUS_COLUMN = len(COLUMNS) - 1


class ReconciliationModel(QAbstractTableModel):
    """Rows of ``ReconciliationItem``; replaced as a whole by each load."""

    def __init__(self, zone: tzinfo | None = None) -> None:
        super().__init__()
        self.items: tuple[ReconciliationItem, ...] = ()
        self.zone = zone  # the venue's, as the window's clock shows time

    def set_items(self, items: Sequence[ReconciliationItem]) -> None:
        self.beginResetModel()
        self.items = tuple(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return _when(item, self.zone)
            return COLUMNS[index.column()][1](item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.message  # the server's own words, whatever the column
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == STATUS_COLUMN:
            return QColor(RESOLVED_COLOUR if item.resolved else OPEN_COLOUR)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translate("Reconciliation", COLUMNS[section][0])
        return None


class ReconciliationDialog(QDialog):
    """The list, "Show resolved too", and "Mark resolved" for the selected open item."""

    count_did_change = Signal(int)  # open items left, for the status bar

    def __init__(
        self, loaded: Loaded, runner: OpRunner, queue: Callable[[], SyncQueue],
        parent: QWidget | None = None, zone: tzinfo | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("reconciliation")
        self.setWindowTitle(translate("Reconciliation", "Sync problems"))
        self.resize(1000, 480)
        self._runner, self._queue = runner, queue
        self.model = ReconciliationModel(zone)
        self.table = QTableView()
        self.table.setObjectName("reconciliationTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        title = QLabel(translate("Reconciliation", "Sync problems"))
        title.setObjectName("reconciliationTitle")
        self.intro = QLabel(translate(
            "Reconciliation", "The server did not accept these operations as the till sent "
            "them. They are not sent again: check each one, put it right by hand if needed, "
            "then mark it resolved."))  # fmt: skip
        self.intro.setWordWrap(True)
        self.detail = QLabel("")
        self.detail.setObjectName("reconciliationDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_resolved = QCheckBox(translate("Reconciliation", "Show resolved too"))
        self.show_resolved.toggled.connect(lambda _on: self.reload())
        self.resolve_button = QPushButton(translate("Reconciliation", "Mark resolved"))
        self.resolve_button.clicked.connect(self.resolve_selected)
        close = QPushButton(translate("Reconciliation", "Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_resolved)
        buttons.addStretch(1)
        buttons.addWidget(self.resolve_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(title)  # the window title is not drawn on a till without a frame
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.show_loaded(loaded)

    def selected_item(self) -> ReconciliationItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.items[rows[0].row()] if rows else None

    def show_loaded(self, loaded: Loaded) -> None:
        self.model.set_items(loaded.items)
        self.table.resizeRowsToContents()
        if loaded.items:
            self.table.selectRow(0)
        self._selected()
        self.count_did_change.emit(loaded.open_count)

    def reload(self) -> None:
        queue, include = self._queue, self.show_resolved.isChecked()
        self._runner.run(lambda: load(queue(), include_resolved=include), self.show_loaded,
                         self._failed)  # fmt: skip

    def resolve_selected(self) -> None:
        item = self.selected_item()
        if item is None or item.resolved:
            return
        queue, include = self._queue, self.show_resolved.isChecked()

        def work() -> Loaded:
            queue().resolve(item.op_id)
            return load(queue(), include_resolved=include)

        self.resolve_button.setEnabled(False)
        self._runner.run(work, self.show_loaded, self._failed)

    def _selected(self) -> None:
        item = self.selected_item()
        self.resolve_button.setEnabled(item is not None and not item.resolved)
        if item is None:
            self.detail.setText(
                translate("Reconciliation", "Nothing to look at: every operation was accepted.")
                if not self.model.items
                else ""
            )
            return
        self.detail.setText(
            translate("Reconciliation", "Operation no. %1 (%2): %3")
            .replace("%1", str(item.seq)).replace("%2", item.kind).replace("%3", item.message)
        )  # fmt: skip

    def _failed(self, error: Exception) -> None:
        self._selected()
        self.detail.setText(cashier_text(error))
