"""``pos-app backup`` and ``pos-app restore``: the till's store saved now, or put back.

``pos-app backup [--data-dir DIR] [--keep-days N]`` takes an online backup into the data
folder's ``backups/`` (the till may be running) and prunes the old ones; ``--keep-days`` also
sets how many days the till's daily backup keeps. ``pos-app restore FILE [--data-dir DIR]``
checks FILE (a complete, undamaged till store) and puts it in place of the store, keeping the
replaced one beside it; the till must be closed. On its next start the till catches up with
the server (docs/deploy.md "Backups").
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pos_app.commands.daily_backup import backup_now
from pos_app.commands.store_factory import data_dir, open_till_store, store_path
from pos_app.commands.sync_runtime import LOCK_FILE
from pos_app.db.backups import KEEP_DAYS_KEY, BackupInvalid, restore_backup
from pos_app.services.ports import StoreError
from pos_app.sync.sender_lock import SenderLock


def _days(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 3650:
        raise argparse.ArgumentTypeError("a number of days from 1 to 3650")
    return value


def backup_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pos-app backup",
                                     description=__doc__.splitlines()[0])  # fmt: skip
    parser.add_argument("--data-dir", help="the till's data folder (default: $POS_DATA_DIR)")
    parser.add_argument("--keep-days", type=_days,
                        help="keep this many days of backups from now on (default 14)")
    args = parser.parse_args(argv)
    try:
        store = open_till_store(args.data_dir)
    except StoreError as exc:
        print(f"pos-app backup: {exc}", file=sys.stderr)
        return 1
    try:
        if args.keep_days is not None:
            with store.unit_of_work() as uow:
                uow.settings.set(KEEP_DAYS_KEY, args.keep_days)
                uow.commit()
        made = backup_now(store, data_dir(args.data_dir))
    finally:
        store.close()
    print(made)
    return 0


def restore_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pos-app restore",
                                     description=__doc__.splitlines()[0])  # fmt: skip
    parser.add_argument("file", type=Path, help="a backup (backups/till-....sqlite3)")
    parser.add_argument("--data-dir", help="the till's data folder (default: $POS_DATA_DIR)")
    args = parser.parse_args(argv)
    folder = data_dir(args.data_dir)
    lock = SenderLock(folder / LOCK_FILE)
    if folder.is_dir() and not lock.acquire():
        print(f"pos-app restore: the till in {folder} is running; close it first.",
              file=sys.stderr)  # fmt: skip
        return 1
    try:
        kept = restore_backup(args.file, store_path(args.data_dir))
    except BackupInvalid as exc:
        print(f"pos-app restore: {exc}", file=sys.stderr)
        return 1
    finally:
        lock.release()
    print(f"restored {args.file} into {store_path(args.data_dir)}"
          + (f"; the replaced store is kept as {kept}" if kept else ""))  # fmt: skip
    return 0
