"""Where the till's database lives, and opening it. The services on it are built by the
composition root (``commands/composition.py``).

Light to import (the storage layer loads when a store is opened): the till decides before its
window shows whether the first-run wizard is needed (``commands/first_run.py``).

The data folder: ``--data-dir``, else ``$POS_DATA_DIR``, else on Windows the machine-wide
``%ProgramData%\\Tillkeeper`` (the installer, ``installer/windows/tillkeeper.iss``, makes it
writable by the till's users; a till is the computer's, not one Windows user's), else the
user's data folder (Linux: ``~/.local/share/pos_app``; the .deb's ``/usr/bin/pos-app`` sets
``POS_DATA_DIR=/var/lib/tillkeeper``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_app.db import Store

DATA_DIR_ENV = "POS_DATA_DIR"
STORE_FILE = "till.sqlite3"
WINDOWS_FOLDER = "Tillkeeper"


def data_dir(explicit: str | Path | None = None) -> Path:
    """``--data-dir`` if given, else ``$POS_DATA_DIR``, else the platform's (module doc)."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        return windows_data_dir()
    from platformdirs import user_data_dir

    return Path(user_data_dir("pos_app"))


def windows_data_dir() -> Path:
    """``%ProgramData%\\Tillkeeper``: the folder the Windows installer prepares."""
    program_data = os.environ.get("PROGRAMDATA") or os.environ.get("ALLUSERSPROFILE")
    return Path(program_data or "C:\\ProgramData") / WINDOWS_FOLDER


def store_path(directory: str | Path | None = None) -> Path:
    return data_dir(directory) / STORE_FILE


def open_till_store(
    directory: str | Path | None = None,
    *,
    terminal_id: str | None = None,
    receipt_prefix: str = "T1",
) -> Store:
    """Open (creating and migrating as needed) the till's store; raises ``StoreError``."""
    from pos_app.db import open_store

    return open_store(store_path(directory), terminal_id=terminal_id, receipt_prefix=receipt_prefix)
