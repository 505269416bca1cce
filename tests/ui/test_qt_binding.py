"""The Qt binding the till runs on keeps Python's reference counts straight.

PySide6 6.12.0 returns ``True`` from ``Signal.emit()`` without taking a reference to it; on
Python 3.11 (where ``True`` is not immortal) every emit drops one, and after a few hundred
operations of the op runner the till dies with "bool_dealloc: deallocating True or False".
pyproject.toml excludes that version; this test keeps it excluded.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    happened = Signal(int, object, object)


def test_emitting_a_signal_keeps_the_reference_count_of_true() -> None:
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for i in range(300):
        emitter.happened.emit(i, None, True)
    assert sys.getrefcount(True) >= before - 5, "this PySide6 leaks references to True"
