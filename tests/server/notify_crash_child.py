"""A server process's sender killed between sending and marking: run by test_notify_outbox.

``python -m tests.server.notify_crash_child DB_URL BOT_BASE`` claims the due messages, sends
the first through the Bot API, prints ``SENT`` and waits to be killed before marking it."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from pos_server.db import make_engine
from pos_server.notify.channels import Delivered
from pos_server.repositories.notifications import Outgoing
from tests.server.notify_fixtures import notify_settings_for, sender_for


def main() -> None:
    url, base = sys.argv[1:3]
    sender = sender_for(make_engine(url), notify_settings_for(base), lambda: datetime.now(UTC))
    channel = sender._channels["telegram"]
    real_send = channel.send

    def send_then_hang(message: Outgoing) -> Delivered:
        delivered = real_send(message)
        print("SENT", flush=True)
        time.sleep(600)  # SIGKILL comes here, before the message is marked sent
        return delivered

    channel.send = send_then_hang  # type: ignore[method-assign]
    sender.send_due()


if __name__ == "__main__":
    main()
