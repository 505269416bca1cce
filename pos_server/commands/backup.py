"""``pos-server backup --out FILE`` and ``pos-server restore FILE``: see ``pos_server.backup``.

Each prints one JSON line; a refusal is a sentence on stderr and exit status 1. The schedule
(a systemd timer or cron, and how many to keep) is in docs/deploy.md "Backups".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pos_server.backup import BackupError, backup, kind_of, restore
from pos_server.commands.args import DB_HELP, database_url


def cmd_backup(args: argparse.Namespace) -> int:
    url = database_url(args)
    try:
        made = backup(url, args.out)
    except BackupError as exc:
        print(f"pos-server backup: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"backup": str(made), "kind": kind_of(url), "bytes": made.stat().st_size}))
    return 0


def verify_checksum_quietly(file: Path) -> bool:
    """Whether a checksum file is there (a mismatch is reported by ``restore`` itself)."""
    return file.with_name(file.name + ".sha256").is_file()


def cmd_restore(args: argparse.Namespace) -> int:
    url = database_url(args)
    if args.file.is_file() and not verify_checksum_quietly(args.file):
        print(f"pos-server restore: no {args.file.name}.sha256 beside the backup: its format "
              "is checked, not its checksum.", file=sys.stderr)  # fmt: skip
    try:
        kept = restore(url, args.file, force=args.force)
    except BackupError as exc:
        print(f"pos-server restore: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"restored": str(args.file), "kind": kind_of(url),
                      "replaced_kept_as": str(kept) if kept else None}))  # fmt: skip
    return 0


def register(sub: Any) -> None:
    made = sub.add_parser("backup", help="write a backup of the database (the server may run)")
    made.add_argument("--out", type=Path, required=True, metavar="FILE",
                      help="the backup file (SQLite: a database file; PostgreSQL: pg_dump -Fc)")
    made.add_argument("--db", help=DB_HELP)
    made.set_defaults(func=cmd_backup)
    back = sub.add_parser("restore", help="restore a checked backup (stop the servers first)")
    back.add_argument("file", type=Path, metavar="FILE", help="a file from pos-server backup")
    back.add_argument("--db", help=DB_HELP)
    back.add_argument("--force", action="store_true",
                      help="replace a database that already holds data")
    back.set_defaults(func=cmd_restore)
