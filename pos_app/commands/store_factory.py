"""Where the till's database lives, and opening it. The services on it are built by the
composition root (``commands/composition.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from pos_app.db import Store, open_store

DATA_DIR_ENV = "POS_DATA_DIR"
STORE_FILE = "till.sqlite3"


def data_dir(explicit: str | Path | None = None) -> Path:
    """``--data-dir`` if given, else ``$POS_DATA_DIR``, else the user's data directory."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env).expanduser() if env else Path(user_data_dir("pos_app"))


def store_path(directory: str | Path | None = None) -> Path:
    return data_dir(directory) / STORE_FILE


def open_till_store(
    directory: str | Path | None = None,
    *,
    terminal_id: str | None = None,
    receipt_prefix: str = "T1",
) -> Store:
    """Open (creating and migrating as needed) the till's store; raises ``StoreError``."""
    return open_store(
        store_path(directory), terminal_id=terminal_id, receipt_prefix=receipt_prefix
    )
