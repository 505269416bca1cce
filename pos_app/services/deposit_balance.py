"""A guest's deposit (balance account) as this till knows it, for what the till may give
back or print as the balance after (``deposits.py``, ``guest_card.py``)."""

from __future__ import annotations

from pos_app.domain.operations import ACCOUNT_ADJUSTED, BALANCE_TOPPED_UP, SALE_CLOSED
from pos_app.services.ports import UnitOfWork


def deposit_available(uow: UnitOfWork, guest_id: str) -> int:
    """The guest's deposit as this till knows it: the server's last snapshot, plus the
    top-ups and less the balance payments and money debits still in the outbox."""
    cached = sum(a.available for a in uow.accounts.for_guest(guest_id) if a.kind == "balance")
    undelivered = 0
    for entry in uow.outbox.pending(limit=10_000):
        p = entry.payload
        if entry.kind == BALANCE_TOPPED_UP and p.get("guest_id") == guest_id:
            undelivered += int(p["amount"])
        elif (entry.kind == ACCOUNT_ADJUSTED and p.get("guest_id") == guest_id
              and p.get("account") == "money"):  # fmt: skip
            undelivered += int(p["amount"]) * (1 if p.get("direction") == "credit" else -1)
        elif entry.kind == SALE_CLOSED and (p.get("guest") or {}).get("guest_id") == guest_id:
            undelivered -= sum(int(x["amount"]) for x in p.get("payments", ())
                               if x.get("method") == "balance")  # fmt: skip
    return cached + undelivered
