"""Card top-up in a real browser, shared by its browser test and its screenshots: a
``pos-server run`` whose YooKassa is the local fake (``tests/server/fake_yookassa.py``; its
notifications go to the server's webhook) and SMS.ru the local fake (``cabinet_server``), and
the guest's steps (the cabinet's "Top up" -> the fake's checkout page -> back on the
cabinet's status page)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.server.fake_smsru import FakeSmsRu
from tests.server.fake_yookassa import FakeYooKassa
from tests.web.browser import Server
from tests.web.cabinet_flow import cabinet_server


@contextmanager
def card_server(
    folder: Path, poll_seconds: float = 0
) -> Iterator[tuple[Server, FakeSmsRu, FakeYooKassa]]:
    """A live server with card top-up through the fake YooKassa (``poll_seconds``: the
    background status poll, 0: off), SMS through the fake SMS.ru."""
    poll = {"POS_SERVER_CARD_TOP_UP_POLL_SECONDS": str(poll_seconds),
            "POS_SERVER_CARD_TOP_UP_POLL_AFTER_SECONDS": "0"}  # fmt: skip
    with FakeYooKassa() as bank, cabinet_server(folder, bank, poll) as (server, sms):
        yield server, sms, bank


def top_up_by_card(page: Any, amount: str, *, pay: bool = True) -> None:
    """From any cabinet page: "Top up" -> the amount -> the bank's page -> pay (or refuse)
    -> back on the top-up's status page."""
    page.click("#nav-top-up")
    page.wait_for_url("**/cabinet/top-up")
    page.fill("#amount", amount)
    page.click("#pay")
    page.wait_for_url("**/checkout/*")
    page.click("#pay-card" if pay else "#cancel-payment")
    page.wait_for_url("**/cabinet/top-up/*")
