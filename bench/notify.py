"""``python -m bench notify``: drain a queue of notifications against the fake Bot API.

10 000 messages (``--quick``: 300) are written into the outbox of a fresh SQLite database
(``--db``: a PostgreSQL URL's database, emptied of notifications first), then ``--workers``
senders (threads, each as one server process's sender) drain it against
``bench.fake_telegram.FakeBotApi``, which answers 429 beyond 30 messages a second per bot as
Telegram does. The last line is JSON: the time, messages a second, the most messages the fake
saw in any one second, how many it refused with 429, and how many were delivered twice.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import Engine, delete, func, insert, select

from bench.fake_telegram import TOKEN, FakeBotApi
from pos_server.db import make_engine, upgrade
from pos_server.db.models_notify import NotificationRow
from pos_server.notify.sender import Sender
from pos_server.notify.settings import NotifySettings
from pos_server.notify.telegram import BotApi, TelegramChannel

RATE = 30  # messages a second per bot (https://core.telegram.org/bots/faq)


def _queue(engine: Engine, count: int) -> None:
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(delete(NotificationRow))
        connection.execute(insert(NotificationRow), [
            {"idempotency_key": f"bench:{n}", "channel": "telegram",
             "recipient": str(1000 + n % 500), "kind": "bench", "text": f"message {n}",
             "status": "waiting", "attempts": 0,
             "next_attempt_at": now, "created_at": now}
            for n in range(count)
        ])  # fmt: skip


def _left(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(
            select(func.count()).where(NotificationRow.status != "sent")).scalar_one())  # fmt: skip


def drain(url: str, count: int, workers: int) -> dict[str, Any]:
    engine = make_engine(url)
    _queue(engine, count)
    settings = NotifySettings(telegram_bot_token=SecretStr(TOKEN), notify_backoff_seconds=1,
                              notify_max_attempts=100, notify_batch=50,
                              telegram_rate_per_second=RATE / workers)  # fmt: skip
    with FakeBotApi(rate_per_second=RATE) as bot:
        senders = []
        for _ in range(workers):
            channel = TelegramChannel(BotApi(bot.base, TOKEN), settings.telegram_rate_per_second)
            senders.append(Sender(make_engine(url), {"telegram": channel}, settings,
                                  lambda: datetime.now(UTC)))  # fmt: skip
        started = time.perf_counter()

        def run(sender: Sender) -> None:
            while _left(engine):
                sender.send_due()
                time.sleep(0.05)

        threads = [threading.Thread(target=run, args=(s,)) for s in senders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        for sender in senders:
            sender.close()
        delivered = list(bot.delivered)
        refused = bot.rate_limited
    engine.dispose()
    texts = Counter(d.text for d in delivered)
    per_second = Counter(int(d.at - delivered[0].at) for d in delivered) if delivered else {}
    return {"messages": count, "workers": workers, "drain_s": round(elapsed, 2),
            "messages_per_s": round(len(delivered) / elapsed, 1),
            "max_in_one_second": max(per_second.values(), default=0),
            "rate_limited_429": refused, "lost": count - len(texts),
            "sent_twice": sum(1 for n in texts.values() if n > 1)}  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench notify")
    parser.add_argument("--quick", action="store_true", help="300 messages (about 10 s)")
    parser.add_argument("--messages", type=int, help="how many (10 000; quick 300)")
    parser.add_argument("--workers", type=int, default=1, help="senders draining at once")
    parser.add_argument("--db", help="a PostgreSQL URL (default: a fresh SQLite file)")
    args = parser.parse_args(argv)
    count = args.messages or (300 if args.quick else 10_000)
    with tempfile.TemporaryDirectory(prefix="bench-notify-") as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'notify.sqlite3'}"
        upgrade(url)
        result = drain(url, count, args.workers)
    print(json.dumps(result))
    return 0 if result["lost"] == 0 and result["sent_twice"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
