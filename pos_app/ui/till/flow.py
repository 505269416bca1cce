"""What the till window's flows (shift, payment, guest, manager, loyalty) are given.

Each flow is a plain object made by the window with the same three things: the till context
(services, op runner, bridge), the till controller (the session: the open sale and guest,
``operation_did_execute``) and the screen - the little of the window a flow uses (who is
signed in, the venue's zone, the banner, the status bar, the window as its dialogs' parent).
A flow never redraws a panel: what an operation changed reaches the panels through the
controller (``ui/till/changes.py``).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import QStatusBar, QWidget

if TYPE_CHECKING:
    from pos_app.ui.main_window import TillContext
    from pos_app.ui.till.controller import TillController
    from pos_app.ui.till.ports import SignedInStaff


class Screen(Protocol):
    """What a flow uses of the till window."""

    @property
    def staff(self) -> SignedInStaff | None: ...
    @property
    def venue_zone(self) -> tzinfo | None: ...
    def show_message(self, text: str, level: str = "error") -> None: ...
    def hide_message(self) -> None: ...
    def statusBar(self) -> QStatusBar: ...  # Qt's name
    def window(self) -> QWidget: ...


class TillFlow:
    """The base of a flow: its context, the session and the screen."""

    def __init__(self, ctx: TillContext, controller: TillController, screen: Screen) -> None:
        self.ctx = ctx
        self.controller = controller
        self.screen = screen

    @property
    def parent(self) -> QWidget:
        """The window: a flow's dialogs are its children (scans and focus follow them)."""
        return self.screen.window()

    @property
    def staff(self) -> Any:
        """The signed-in person's session as sign-in returned it (the services take it back)."""
        return self.screen.staff

    def show_message(self, text: str, level: str = "error") -> None:
        self.screen.show_message(text, level)
