"""``pos-server guest ledger GUEST_ID [--account points|money] [--db URL]``: the guest's
points and money postings as JSON lines, oldest first, for scripts and support (the same
``pos_server/guests/history.py`` service the till's guest card pages through)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from pos_server.db import make_engine, upgrade
from pos_server.guests.history import MAX_LIMIT, PostingEntry, history_page
from pos_server.settings import ServerSettings
from pos_server.uow import unit_of_work

DB_HELP = "SQLAlchemy URL (sqlite:///file or postgresql+psycopg://...)"
FIELDS = ("account", "kind", "amount", "total_after", "hold_id", "staff", "terminal_id", "at",
          "reason")  # fmt: skip


def ledger_line(entry: PostingEntry) -> dict[str, Any]:
    data = entry.to_json()
    return {name: data[name] for name in FIELDS}


def cmd_ledger(args: argparse.Namespace) -> int:
    url = str(args.db) if args.db else ServerSettings().database_url
    upgrade(url)
    engine = make_engine(url)
    entries: list[PostingEntry] = []
    try:
        with unit_of_work(engine, actor="cli", now=datetime.now(UTC)) as uow:
            if not uow.guests.exists(args.guest_id):
                print(f"There is no guest {args.guest_id!r} on the server.", file=sys.stderr)
                return 1
            before = None
            while True:
                page = history_page(uow, args.guest_id, args.account, before=before,
                                    limit=MAX_LIMIT)  # fmt: skip
                entries.extend(e for e in page.items if isinstance(e, PostingEntry))
                if page.next is None:
                    break
                before = page.next
    finally:
        engine.dispose()
    for entry in reversed(entries):
        print(json.dumps(ledger_line(entry), ensure_ascii=False))
    return 0


def register(sub: Any) -> None:
    """Add ``guest`` to ``pos-server``'s subparsers."""
    actions = sub.add_parser("guest", help="a guest's records").add_subparsers(
        dest="action", required=True
    )
    ledger = actions.add_parser(
        "ledger", help="the guest's points and money postings, oldest first (JSON lines)"
    )
    ledger.add_argument("guest_id")
    ledger.add_argument("--account", choices=("points", "money"), default="postings",
                        help="one account only (default: both)")  # fmt: skip
    ledger.add_argument("--db", help=DB_HELP)
    ledger.set_defaults(func=cmd_ledger)
