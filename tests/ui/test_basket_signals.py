"""The basket panel declares only the signals it emits: + and - go through ``step_requested``
(counted against the sale on the op worker), a quantity typed on the numpad through
``quantity_requested``, a line's removal through ``removal_requested``;
a signal declared and connected but never emitted is a path that cannot be taken."""

from __future__ import annotations

import inspect
from pathlib import Path

from PySide6.QtCore import Signal

from pos_app.ui.till import basket
from pos_app.ui.till.basket import BasketPanel


def test_every_signal_of_the_basket_is_emitted_by_it() -> None:
    declared = {name for name, value in vars(BasketPanel).items() if isinstance(value, Signal)}
    source = Path(inspect.getfile(basket)).read_text(encoding="utf-8")
    assert declared == {"step_requested", "quantity_requested", "removal_requested"}
    assert all(f"self.{name}.emit(" in source for name in declared)
