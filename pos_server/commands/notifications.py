"""``pos-server notifications list|retry|set-webhook``: the outbox as a manager sees it.

``list`` prints messages oldest first as JSON lines (``--failed``: only those given up,
``--waiting``: those not sent yet: held for a subscription, waiting for their time, being
sent); ``retry ID`` or ``retry --all-failed`` puts failed messages back in the queue, due now,
with their attempts counted from zero. The back office (``/admin/notifications``) shows the
same ``list_messages``.
``set-webhook URL`` points the bot at ``URL/telegram/webhook/<secret>`` (webhook mode).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from pos_server.commands.args import DB_HELP, database_url, positive
from pos_server.db import make_engine, upgrade
from pos_server.repositories.notifications import (
    FAILED,
    HELD,
    SENDING,
    WAITING,
    list_messages,
    retry,
)


def cmd_list(args: argparse.Namespace) -> int:
    url = database_url(args)
    upgrade(url)
    statuses = [FAILED] if args.failed else [HELD, WAITING, SENDING] if args.waiting else None
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            found = list_messages(connection, statuses, args.limit)
    finally:
        engine.dispose()
    for message in found:
        print(json.dumps(message, ensure_ascii=False))
    return 0


def cmd_retry(args: argparse.Namespace) -> int:
    url = database_url(args)
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            count = retry(connection, datetime.now(UTC), None if args.all_failed else args.id)
    finally:
        engine.dispose()
    if not count and not args.all_failed:
        print(f"no failed message {args.id}", file=sys.stderr)
        return 1
    print(json.dumps({"retried": count}))
    return 0


def cmd_set_webhook(args: argparse.Namespace) -> int:
    """Tell Telegram where this server's webhook is: ``<url>/telegram/webhook/<secret>``, the
    secret also sent as ``secret_token`` (Telegram puts it in every call's header)."""
    from pos_server.notify.settings import notify_settings
    from pos_server.notify.telegram import BotApi, BotApiError

    settings = notify_settings()
    token, secret = settings.telegram_bot_token, settings.telegram_webhook_secret
    if token is None or secret is None:
        print("set POS_SERVER_TELEGRAM_BOT_TOKEN and POS_SERVER_TELEGRAM_WEBHOOK_SECRET first",
              file=sys.stderr)  # fmt: skip
        return 2
    url = f"{args.url.rstrip('/')}/telegram/webhook/{secret.get_secret_value()}"
    api = BotApi(settings.telegram_api_base, token.get_secret_value())
    try:
        api.set_webhook(url, secret.get_secret_value())
    except BotApiError as refused:
        print(f"Telegram refused the webhook: {refused}", file=sys.stderr)
        return 1
    finally:
        api.close()
    print(json.dumps({"webhook": args.url.rstrip("/") + "/telegram/webhook/<secret>"}))
    return 0


def settings_problem() -> str | None:
    """What is wrong with the notification settings of the environment (a template naming an
    unknown placeholder ...), said for the operator before ``run`` starts, or None."""
    from pydantic import ValidationError

    from pos_server.notify.settings import notify_settings

    notify_settings.cache_clear()
    try:
        notify_settings()
    except ValidationError as exc:
        return "; ".join(error["msg"].removeprefix("Value error, ") for error in exc.errors())
    return None


def register(sub: Any) -> None:
    """Add ``notifications`` to ``pos-server``'s subparsers."""
    actions = sub.add_parser(
        "notifications", help="messages to guests: the outbox (JSON lines)"
    ).add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="messages, oldest first, as JSON lines")
    which = listing.add_mutually_exclusive_group()
    which.add_argument("--failed", action="store_true", help="only those given up")
    which.add_argument("--waiting", action="store_true",
                       help="only those not sent yet (held, waiting, being sent)")  # fmt: skip
    listing.add_argument("--limit", type=positive, default=1_000,
                         help="at most this many (the newest)")  # fmt: skip
    listing.add_argument("--db", help=DB_HELP)
    listing.set_defaults(func=cmd_list)
    again = actions.add_parser("retry", help="send failed messages again")
    target = again.add_mutually_exclusive_group(required=True)
    target.add_argument("id", type=int, nargs="?", help="the message's id")
    target.add_argument("--all-failed", action="store_true", help="every failed message")
    again.add_argument("--db", help=DB_HELP)
    again.set_defaults(func=cmd_retry)
    hook = actions.add_parser("set-webhook", help="point the bot's webhook at this server")
    hook.add_argument("url", help="this server's public HTTPS address, e.g. https://pos.example")
    hook.set_defaults(func=cmd_set_webhook)
