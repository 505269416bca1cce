"""The venue's name on the till's screen and receipts is the till's own setting: ``--venue``
stores it for the next start, and a till with none says "Till", never the demo's name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from pos_app.commands.till_app import TillBackend, parse_args
from pos_app.ui.bridge import CoreBridge


def opened_venue(argv: list[str]) -> str:
    backend = TillBackend(parse_args([*argv, "--printer", "none"]), CoreBridge())
    try:
        return backend.open().venue_name
    finally:
        backend.close()


def test_venue_is_stored_once_and_kept_for_the_next_start(
    tmp_path: Path, qapp: QApplication
) -> None:
    data = ["--data-dir", str(tmp_path / "till")]
    assert opened_venue(data) == ""  # a new till has no name: no demo name stands in
    assert opened_venue([*data, "--venue", " Кофейня Зерно "]) == "Кофейня Зерно"
    assert opened_venue(data) == "Кофейня Зерно"
