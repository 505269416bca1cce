"""``pos-server reconciliation list|resolve``: the differences the server found between closed
sales as tills priced them and its own recomputation (``pos_server.ops.sale_review``).

``list`` prints the open items oldest first as JSON lines (``--all``: resolved ones too,
``--since``: from a moment on); ``resolve ID --by NAME`` closes one after a manager looked at
it and prints it. The back office will show the same ``list_items`` query.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import UTC, datetime
from typing import Any

from pos_server.commands.args import DB_HELP, aware_time, database_url, positive
from pos_server.db import make_engine, make_sessions, upgrade
from pos_server.repositories.reconciliation import UnknownItem, list_items, resolve_item


def cmd_list(args: argparse.Namespace) -> int:
    url = database_url(args)
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_sessions(engine)() as session:
            items = list_items(session, include_resolved=args.all, since=args.since,
                               limit=args.limit)  # fmt: skip
    finally:
        engine.dispose()
    for item in reversed(items):
        print(json.dumps(item, ensure_ascii=False))
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    url = database_url(args)
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_sessions(engine).begin() as session:
            item = resolve_item(session, args.item_id, by=args.by or getpass.getuser(),
                                now=datetime.now(UTC))  # fmt: skip
    except UnknownItem as refused:
        print(refused, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(json.dumps(item, ensure_ascii=False))
    return 0




def register(sub: Any) -> None:
    """Add ``reconciliation`` to ``pos-server``'s subparsers."""
    actions = sub.add_parser(
        "reconciliation", help="sales whose recomputation differs from the till's (JSON lines)"
    ).add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="open items, oldest first, as JSON lines")
    listing.add_argument("--all", action="store_true", help="resolved items too")
    listing.add_argument("--since", type=aware_time, help="only from this time on (ISO)")
    listing.add_argument("--limit", type=positive, default=1_000, help="at most this many")
    listing.add_argument("--db", help=DB_HELP)
    listing.set_defaults(func=cmd_list)
    resolve = actions.add_parser("resolve", help="mark an item looked at and settled")
    resolve.add_argument("item_id", type=int)
    resolve.add_argument("--by", help="who, for the record (default: the OS user)")
    resolve.add_argument("--db", help=DB_HELP)
    resolve.set_defaults(func=cmd_resolve)
