"""``pos-server settings show|set``: the programme settings for scripts (``pos_server.programme``).

``show`` prints every setting as one JSON object by dotted key (money in kopecks, percentages
in basis points); ``set KEY VALUE`` changes one through the same audited service as the back
office (``none`` or an empty VALUE clears a limit; ``ordering.payment_methods`` takes
``cash,card``) and publishes it to the tills. A refused value exits 1 with the reason.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import UTC, datetime
from typing import Any

from pos_server.commands.args import DB_HELP
from pos_server.db import make_engine, upgrade
from pos_server.programme.model import Programme
from pos_server.programme.service import ProgrammeError, change, current
from pos_server.settings import ServerSettings
from pos_server.uow import unit_of_work

_OPTIONAL = frozenset(key for key, value in Programme().flat().items() if value is None)


def _value(key: str, text: str) -> Any:
    if key in _OPTIONAL and text.strip().lower() in ("", "none"):
        return None
    return text


def _run(args: argparse.Namespace, updates: dict[str, Any] | None) -> int:
    settings = ServerSettings(**({"database_url": args.db} if args.db else {}))
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(engine, actor=f"cli:{getpass.getuser()}", now=datetime.now(UTC),
                          hold_ttl=settings.hold_ttl) as uow:  # fmt: skip
            programme = (
                current(uow) if updates is None else change(uow, updates, reason=args.reason)
            )
    except ProgrammeError as refused:
        print(f"pos-server: {refused}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(json.dumps(programme.flat(), ensure_ascii=False, indent=1))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    return _run(args, None)


def cmd_set(args: argparse.Namespace) -> int:
    return _run(args, {args.key: _value(args.key, args.value)})


def register(sub: Any) -> None:
    """Add ``settings`` to ``pos-server``'s subparsers."""
    actions = sub.add_parser(
        "settings", help="programme settings: venue, loyalty, promo, guest ordering"
    ).add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="every setting as JSON (kopecks, basis points)")
    show.add_argument("--db", help=DB_HELP)
    show.set_defaults(func=cmd_show, reason="")
    put = actions.add_parser("set", help="change one setting (audited, sent to the tills)")
    put.add_argument("key", help="a dotted key as `settings show` prints, e.g. loyalty.accrual_bp")
    put.add_argument("value")
    put.add_argument("--reason", default="", help="why, for the audit log")
    put.add_argument("--db", help=DB_HELP)
    put.set_defaults(func=cmd_set)
