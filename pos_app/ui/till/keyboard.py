"""The selling screen without a mouse: the keys that are not plain shortcuts.

* Up / Down move through the basket's lines (the line a scan added is selected already, see
  ``BasketPanel.show_sale``), so Del, + and − act on the line the cashier sees selected.
* The numeric keypad's + and − change the selected line's quantity wherever the focus is on
  the selling screen - in the search field too, which would otherwise take them as text and
  show an empty product grid. Del removes the line from an empty search field as well.
* After any dialog of the window closes, the focus goes back to the search field, so the next
  typed code or name lands there.

The keys are bound to the selling screen (not the whole window), so a till + console's orders
tab keeps its own arrow keys.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget

from pos_app.ui.till.basket import BasketPanel

KEYPAD = Qt.KeyboardModifier.KeypadModifier
_RETURNS_FOCUS = "returnsFocusToSearch"  # a dialog whose closing is already watched


class SellingKeys(QObject):
    """Installed by the till window on its selling screen (``screen``) once it is built."""

    def __init__(self, window: QWidget, screen: QWidget, search: QLineEdit,
                 basket: BasketPanel, selling: Callable[[], bool]) -> None:  # fmt: skip
        super().__init__(window)
        self._window, self._search, self._basket = window, search, basket
        self._selling = selling  # False while another tab (the orders) is in front
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            (QKeySequence(Qt.Key.Key_Up), basket.select_previous),
            (QKeySequence(Qt.Key.Key_Down), basket.select_next),
            (QKeySequence(KEYPAD | Qt.Key.Key_Plus), basket.increase),
            (QKeySequence(KEYPAD | Qt.Key.Key_Minus), basket.decrease),
        ):
            shortcut = QShortcut(keys, screen, slot)
            shortcut.setContext(context)
        search.installEventFilter(self)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._search and event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            # Eaten and left unaccepted: the line edit does not claim the key, the shortcut
            # (quantity, remove line) gets it.
            return self._basket_key(event)
        if watched is self._window and event.type() == QEvent.Type.ChildPolished:
            child = getattr(event, "child", lambda: None)()
            if isinstance(child, QDialog) and not child.property(_RETURNS_FOCUS):
                child.setProperty(_RETURNS_FOCUS, True)
                child.finished.connect(self._dialog_closed)
        return False

    def _basket_key(self, event: QKeyEvent) -> bool:
        keypad = bool(event.modifiers() & KEYPAD)
        if keypad and event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Minus):
            return True
        no_text = not self._search.text()
        return no_text and event.key() == Qt.Key.Key_Delete and not event.modifiers()

    def _dialog_closed(self, _result: int) -> None:
        # After Qt has given the window back its own focus widget.
        QTimer.singleShot(0, self.focus_search)

    def focus_search(self) -> None:
        if not (self._selling() and self._window.isVisible()):
            return
        if QApplication.activeModalWidget() is None:  # the last dialog is gone: the till's turn
            self._window.activateWindow()
        self._search.setFocus(Qt.FocusReason.OtherFocusReason)
