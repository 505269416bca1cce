"""``pos-server guest ledger GUEST_ID [--account points|money] [--db URL]``: the guest's
points and money postings as JSON lines, oldest first, for scripts and support (the same
``pos_server/guests/history.py`` service the till's guest card pages through).

``pos-server guest cabinet-login GUEST_ID LOGIN [--password-stdin] [--send] [--url URL]``:
the guest's cabinet credentials (``pos_server/cabinet_web/accounts.set_credentials``)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from pos_server.commands.args import DB_HELP, database_url
from pos_server.db import make_engine, upgrade
from pos_server.guests.history import MAX_LIMIT, PostingEntry, history_page
from pos_server.uow import unit_of_work

FIELDS = ("account", "kind", "amount", "total_after", "hold_id", "staff", "terminal_id", "at",
          "reason")  # fmt: skip


def ledger_line(entry: PostingEntry) -> dict[str, Any]:
    data = entry.to_json()
    return {name: data[name] for name in FIELDS}


def cmd_ledger(args: argparse.Namespace) -> int:
    url = database_url(args)
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


def cmd_cabinet_login(args: argparse.Namespace) -> int:
    """Set a guest's cabinet login and password (issue 19): the password from stdin's first
    line, or a random one printed once (unless ``--send`` sends it by SMS instead)."""
    from pos_server.cabinet_web.accounts import CabinetRefused, set_credentials

    url = database_url(args)
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    upgrade(url)
    engine = make_engine(url)
    try:
        with unit_of_work(engine, actor="cli", now=datetime.now(UTC)) as uow:
            secret = set_credentials(uow, args.guest_id, args.login, password, send=args.send,
                                     url=args.url or "")  # fmt: skip
    except CabinetRefused as refused:
        print(refused.message.format(**refused.values), file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    shown = {"guest_id": args.guest_id, "login": args.login.strip().lower(), "sent": args.send}
    if password is None and not args.send:
        shown["password"] = secret  # random: shown this once, never stored in clear
    print(json.dumps(shown, ensure_ascii=False))
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
    cabinet = actions.add_parser(
        "cabinet-login", help="set the guest's cabinet login and password (random by default)"
    )
    cabinet.add_argument("guest_id")
    cabinet.add_argument("login", help="numeric or alphabetic, 3-64 characters")
    cabinet.add_argument("--password-stdin", action="store_true",
                         help="the password is stdin's first line (else a random one)")  # fmt: skip
    cabinet.add_argument("--send", action="store_true",
                         help="send the login and password by SMS now")  # fmt: skip
    cabinet.add_argument("--url", help="the cabinet's address for the SMS")
    cabinet.add_argument("--db", help=DB_HELP)
    cabinet.set_defaults(func=cmd_cabinet_login)
