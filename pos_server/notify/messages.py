"""The messages of seed 003, written into the outbox by the events that cause them, in their
transaction: the code owner's "cashback credited", the guest's card with its QR code; and the
SMS of the guest's cabinet (credentials, sign-up and recovery codes) for its issue to write.

Each key names the event and the recipient, so an event writes its message once.
"""

from __future__ import annotations

from pos_server.notify.settings import notify_settings
from pos_server.notify.templates import render, render_for
from pos_server.programme.service import current
from pos_server.repositories.notifications import SMS
from pos_server.uow import UnitOfWork

CASHBACK, CARD, SUBSCRIBED, LINK_INVALID = "cashback", "card", "subscribed", "link_invalid"


def _name(uow: UnitOfWork, guest_id: str) -> str:
    guest = uow.guests.get(guest_id)
    return guest.name if guest is not None else ""


def cashback_credited(uow: UnitOfWork, sale_id: str, owner_guest_id: str, code: str, *,
                      amount: int, balance: int) -> None:  # fmt: skip
    """To the code's owner: the cashback of the sale and their balance after it (kopecks)."""
    text = render_for(notify_settings(), CASHBACK, current(uow),
                      {"name": _name(uow, owner_guest_id), "amount": amount, "balance": balance,
                       "code": code})  # fmt: skip
    uow.notifications.to_guest(owner_guest_id, CASHBACK, f"cashback:{sale_id}:{owner_guest_id}",
                               text)  # fmt: skip


def card_issued(uow: UnitOfWork, guest_id: str, code: str, event: str) -> None:
    """To the guest: their card (promo code) as text and a QR picture. ``event`` names what
    sent it (an issue, a re-issue: the seed sends the same card again)."""
    text = render_for(
        notify_settings(), CARD, current(uow), {"name": _name(uow, guest_id), "code": code}
    )
    uow.notifications.to_guest(guest_id, CARD, f"card:{event}:{guest_id}", text, qr=code)


def sms_to_phone(uow: UnitOfWork, phone: str, message: str, key: str,
                 guest_id: str | None = None, **values: object) -> bool:  # fmt: skip
    """An SMS of template ``message`` (``cabinet_credentials``, ``signup_code``,
    ``recovery_code``) to an E.164 phone, once per ``key`` (the event: a sign-up attempt, a
    recovery request); False: the key was written before."""
    text = render(notify_settings(), message, **values)
    return uow.notifications.enqueue(SMS, phone, message, key, text, guest_id=guest_id)
