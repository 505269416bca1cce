"""How big the till draws itself: the font size and the touch mode (the till's settings).

``pos-app till --font-size PX`` and ``--touch`` / ``--no-touch`` store them (kept for the next
start, like ``--venue``); the window applies what the store has once it opens. Touch mode
makes every target large enough for a finger (buttons, tiles, basket rows, the numpad).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_app.domain.errors import DomainError

if TYPE_CHECKING:  # the window imports this at start: nothing heavy before the first frame
    from pos_app.services.ports import UnitOfWorkFactory

FONT_KEY = "ui.font_size"
TOUCH_KEY = "ui.touch"
DEFAULT_FONT_PX = 15
MIN_FONT_PX, MAX_FONT_PX = 12, 28


class InvalidFontSize(DomainError):
    code = "invalid_font_size"


@dataclass(frozen=True, slots=True)
class ScreenLook:
    font_px: int = DEFAULT_FONT_PX
    touch: bool = False


def checked_font(px: int) -> int:
    if not MIN_FONT_PX <= px <= MAX_FONT_PX:
        raise InvalidFontSize(
            f"A font size is {MIN_FONT_PX} to {MAX_FONT_PX} pixels; {px} is not.", font_px=px
        )
    return px


def read_look(uow_factory: UnitOfWorkFactory) -> ScreenLook:
    with uow_factory(durable=False) as uow:
        font = uow.settings.get(FONT_KEY, DEFAULT_FONT_PX)
        touch = uow.settings.get(TOUCH_KEY, False)
    try:
        font = checked_font(int(font))
    except (DomainError, TypeError, ValueError):
        font = DEFAULT_FONT_PX  # a hand-edited setting out of range: the usual size
    return ScreenLook(font, bool(touch))


def store_look(uow_factory: UnitOfWorkFactory, font_px: int | None, touch: bool | None) -> None:
    """Keep what was given (None: leave that setting as it is)."""
    if font_px is None and touch is None:
        return
    with uow_factory() as uow:
        if font_px is not None:
            uow.settings.set(FONT_KEY, checked_font(font_px))
        if touch is not None:
            uow.settings.set(TOUCH_KEY, touch)
        uow.commit()
