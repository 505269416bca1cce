"""A guest's deposit top-up by bank card (issue 19 point 5).

``start`` records the top-up (``new``), makes the payment at YooKassa (its Idempotence-Key our
top-up id: a retried request makes no second payment) and keeps its id and confirmation URL
(``pending``). The guest pays on the bank's page.

Only ``confirm`` credits: the webhook, the guest's status page and the background poll all
end in it. It reads the payment back from YooKassa (a notification's body is never believed),
then ``settle`` locks the top-up row and, when the payment ``succeeded`` with our top-up id,
amount and currency, moves the row ``pending -> credited`` by a conditional update and credits
the guest's balance account in the same transaction (a ``credit`` posting, reason "card
top-up", ref the payment id, as a till's top-up posts; an audit row; a Telegram message to
a subscribed guest through the outbox). Two confirmations at
once: the second waits for the row lock and finds it credited, so the money goes in once. A
cancelled payment is ``failed`` (nothing credited); one that does not match the row is
``mismatch`` (nothing credited, staff look at it).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from pos_server.db.models_payments import CardTopUpRow
from pos_server.notify import messages
from pos_server.payments.yookassa import Payment, ProviderError, YooKassa
from pos_server.uow import UnitOfWork, unit_of_work

log = logging.getLogger(__name__)
ACTOR = "cabinet"
PROVIDER = "yookassa"
NEW, PENDING, CREDITED, FAILED, MISMATCH = "new", "pending", "credited", "failed", "mismatch"
OPEN = (NEW, PENDING)
REASON = "card top-up"
Clock = Callable[[], datetime]
_AMOUNT = re.compile(r"^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$")


class TopUpRefused(Exception):
    """The amount is not accepted: ``code`` "format" (not an amount) or "range" (beyond the
    limits, ``low`` and ``high`` in kopecks); the cabinet words it in the guest's language."""

    def __init__(self, code: str, low: int = 0, high: int = 0) -> None:
        super().__init__(code)
        self.code, self.low, self.high = code, low, high


@dataclass(frozen=True)
class Started:
    top_up_id: str
    confirmation_url: str | None  # None: the payment could not be made (the row is failed)


def parse_amount(text: str) -> int:
    """Roubles as typed (``150``, ``150,5``, ``150.50``) -> kopecks, exactly; ValueError."""
    found = _AMOUNT.match(text.replace("\u00a0", "").replace(" ", ""))
    if found is None:
        raise ValueError(text)
    return int(found.group(1)) * 100 + int((found.group(2) or "0").ljust(2, "0"))


def check_amount(text: str, low: int, high: int) -> int:
    try:
        amount = parse_amount(text)
    except ValueError:
        raise TopUpRefused("format") from None
    if not low <= amount <= high:
        raise TopUpRefused("range", low, high)
    return amount


def start(engine: Engine, gateway: YooKassa, guest_id: str, amount: int, *, now: datetime,
          return_url: Callable[[str], str], description: str) -> Started:  # fmt: skip
    """Record the top-up, then make its payment (outside any transaction: a slow bank holds
    no lock). A provider error marks it ``failed``: the guest was sent nowhere, paid nothing."""
    top_up_id = str(uuid.uuid4())
    with unit_of_work(engine, actor=ACTOR, now=now) as uow:
        uow.card_top_ups.add(CardTopUpRow(
            id=top_up_id, guest_id=guest_id, amount=amount, provider=PROVIDER, status=NEW,
            created_at=now, updated_at=now))  # fmt: skip
    try:
        payment = gateway.create_payment(top_up_id, amount, return_url=return_url(top_up_id),
                                         description=description,
                                         metadata={"top_up_id": top_up_id})  # fmt: skip
    except ProviderError as error:
        log.warning("card top-up %s: the payment was not made: %s", top_up_id, error)
        with unit_of_work(engine, actor=ACTOR, now=now) as uow:
            uow.card_top_ups.move(top_up_id, (NEW,), FAILED, failure=str(error)[:200])
        return Started(top_up_id, None)
    with unit_of_work(engine, actor=ACTOR, now=now) as uow:
        uow.card_top_ups.move(top_up_id, (NEW,), PENDING, payment_id=payment.payment_id,
                              confirmation_url=payment.confirmation_url)  # fmt: skip
    url = payment.confirmation_url or ""
    if payment.status != "pending" or not url.startswith(("https://", "http://")):
        settle(engine, top_up_id, payment, now)  # canceled at once (a refused card, a limit)
        return Started(top_up_id, None)
    return Started(top_up_id, payment.confirmation_url)


def confirm(engine: Engine, gateway: YooKassa, top_up_id: str, now: datetime) -> str | None:
    """Ask YooKassa how the top-up's payment stands and settle it; the status after (None: no
    such top-up). Raises ``ProviderError`` when YooKassa cannot be asked (nothing changed).
    A top-up the poll gave up on is asked again when notified: a late success still counts."""
    with unit_of_work(engine, actor=ACTOR, now=now) as uow:
        row = uow.card_top_ups.get(top_up_id)
        if row is None or row.status not in (PENDING, FAILED) or row.payment_id is None:
            return None if row is None else row.status
        payment_id = row.payment_id
    return settle(engine, top_up_id, gateway.payment(payment_id), now)


def settle(engine: Engine, top_up_id: str, payment: Payment, now: datetime) -> str:
    """Apply what YooKassa said of the payment, once: the row locked, its status moved by a
    conditional update, the balance credited in the same transaction."""
    succeeded = payment.status == "succeeded" and payment.paid
    with unit_of_work(engine, actor=ACTOR, now=now) as uow:
        row = uow.card_top_ups.get(top_up_id, lock=True)
        assert row is not None
        if row.status != PENDING and not (row.status == FAILED and succeeded):
            return row.status  # settled before (a racing confirmation got there first)
        problem = _mismatch(row, payment)
        if problem is not None:
            log.error("card top-up %s refused: %s", top_up_id, problem)
            uow.card_top_ups.move(top_up_id, (row.status,), MISMATCH, failure=problem)
            _audit(uow, row, "card_top_up.mismatch", problem)
            return MISMATCH
        if succeeded:  # (failed: given up by the poll, then paid late after all)
            if not uow.card_top_ups.move(top_up_id, (row.status,), CREDITED, credited_at=now,
                                         failure=None):  # fmt: skip
                return CREDITED  # pragma: no cover - the row lock makes this unreachable
            _credit(uow, row, payment)
            return CREDITED
        if payment.status == "canceled":
            reason = payment.cancellation or "canceled"
            uow.card_top_ups.move(top_up_id, (PENDING,), FAILED, failure=reason[:200])
            _audit(uow, row, "card_top_up.failed", reason)
            return FAILED
        return PENDING  # pending (the guest has not paid yet); capture=true: no waiting step


def _mismatch(row: CardTopUpRow, payment: Payment) -> str | None:
    if payment.payment_id != row.payment_id:
        return f"payment {payment.payment_id} is not the top-up's {row.payment_id}"
    if payment.metadata.get("top_up_id") != row.id:
        return f"payment {payment.payment_id} names top-up {payment.metadata.get('top_up_id')!r}"
    if payment.currency != "RUB" or payment.amount != row.amount:
        return (f"payment {payment.payment_id} is {payment.amount} {payment.currency}, "
                f"the top-up {row.amount} RUB")  # fmt: skip
    return None


def _credit(uow: UnitOfWork, row: CardTopUpRow, payment: Payment) -> None:
    account = uow.accounts.load("money", row.guest_id)  # locked, as every balance change
    account.top_up(row.amount, now=uow.now, actor=f"guest:{row.guest_id}",
                   terminal_id=uow.terminal_id, reason=REASON, ref=payment.payment_id)  # fmt: skip
    uow.accounts.save(account)
    _audit(uow, row, "card_top_up.credited", f"YooKassa payment {payment.payment_id}")
    messages.top_up_credited(uow, row.guest_id, row.id, amount=row.amount, balance=account.total)


def _audit(uow: UnitOfWork, row: CardTopUpRow, action: str, reason: str) -> None:
    uow.audit.record(action, f"guest:{row.guest_id}", reason=reason[:500],
                     actor=f"guest:{row.guest_id}", terminal_id=ACTOR,
                     details={"top_up_id": row.id, "payment_id": row.payment_id,
                              "amount": row.amount})  # fmt: skip


def poll_due(engine: Engine, gateway: YooKassa, now: datetime, *, after: timedelta,
             give_up: timedelta, limit: int = 50) -> int:  # fmt: skip
    """The poll for lost notifications: each pending top-up older than ``after`` is confirmed;
    one still pending after ``give_up`` (or never made: ``new``) is marked ``failed``
    ("expired"). Returns how many were settled."""
    with unit_of_work(engine, actor=ACTOR, now=now) as uow:
        pending = uow.card_top_ups.due((PENDING,), now - after, limit)
        stale = uow.card_top_ups.due((NEW,), now - timedelta(hours=1), limit)
    settled = 0
    for top_up_id in pending:
        try:
            status = confirm(engine, gateway, top_up_id, now)
        except ProviderError as error:  # asked again next pass, until given up
            log.warning("card top-up %s: YooKassa not asked: %s", top_up_id, error)
            status = PENDING
        if status == PENDING:
            settled += _expire(engine, top_up_id, now, give_up)
        else:
            settled += 1
    for top_up_id in stale:  # the payment was never made, so the guest could not pay
        with unit_of_work(engine, actor=ACTOR, now=now) as uow:
            settled += uow.card_top_ups.move(top_up_id, (NEW,), FAILED, failure="not created")
    return settled


def _expire(engine: Engine, top_up_id: str, now: datetime, give_up: timedelta) -> int:
    with unit_of_work(engine, actor=ACTOR, now=now) as uow:
        row = uow.card_top_ups.get(top_up_id, lock=True)
        if row is None or row.status != PENDING or now - row.created_at < give_up:
            return 0
        uow.card_top_ups.move(top_up_id, (PENDING,), FAILED, failure="expired")
        _audit(uow, row, "card_top_up.failed", "still pending: given up")
        return 1
