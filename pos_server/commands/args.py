"""Arguments shared by the ``pos-server`` sub-commands: ``--db`` and argparse ``type=``
callables."""

from __future__ import annotations

import argparse
from datetime import datetime

from pos_server.settings import ServerSettings

DB_HELP = "SQLAlchemy URL (sqlite:///file or postgresql+psycopg://...)"


def aware_time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("an ISO time, e.g. 2026-11-23T09:00+03:00") from exc
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("give the time zone, e.g. 2026-11-23T09:00+03:00")
    return value


def positive(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError("must be between 1 and 100000")
    return value


def database_url(args: argparse.Namespace) -> str:
    """``--db``, else the configured database (``POS_SERVER_DATABASE_URL``, its default)."""
    return str(args.db) if args.db else ServerSettings().database_url
