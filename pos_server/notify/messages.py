"""The messages of seed 003, written into the outbox by the events that cause them, in their
transaction: the code owner's "cashback credited", the guest's card with its QR code; the SMS
of the guest's cabinet (credentials, sign-up and recovery codes) for its issue to write; and
"order ready" (issue 21 point 1) to the guest whose order's items were all handed over.

Each key names the event and the recipient, so an event writes its message once. The text is
rendered here, when written, with the venue's texts (the programme settings' ``messages``).
"""

from __future__ import annotations

from pos_server.notify.settings import notify_settings
from pos_server.notify.templates import render_for
from pos_server.programme.service import current
from pos_server.repositories.notifications import SMS, TELEGRAM
from pos_server.uow import UnitOfWork

CASHBACK, CARD, SUBSCRIBED, LINK_INVALID = "cashback", "card", "subscribed", "link_invalid"
ORDER_READY = "order_ready"
TOP_UP_CREDITED = "top_up_credited"


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
    text = render_for(notify_settings(), message, current(uow), values)
    return uow.notifications.enqueue(SMS, phone, message, key, text, guest_id=guest_id)


def order_ready(uow: UnitOfWork, order_id: str, guest_id: str, number: str | None) -> bool:
    """To the guest: their order is ready. Their Telegram chat when subscribed, else an SMS to
    their phone; neither: nothing (a message held until they subscribe would come stale).
    Once per order and guest; False: nothing written (no way to reach them, or written
    before)."""
    guest = uow.guests.get(guest_id)
    if guest is None:
        return False
    text = render_for(notify_settings(), ORDER_READY, current(uow),
                      {"name": guest.name, "number": number or order_id})  # fmt: skip
    key = f"order_ready:{order_id}:{guest_id}"
    chat = uow.notifications.chat_of(guest_id)
    if chat is not None:
        return uow.notifications.enqueue(TELEGRAM, chat, ORDER_READY, key, text,
                                         guest_id=guest_id)  # fmt: skip
    if guest.phone:
        return uow.notifications.enqueue(SMS, guest.phone, ORDER_READY, key, text,
                                         guest_id=guest_id)  # fmt: skip
    return False


def top_up_credited(uow: UnitOfWork, guest_id: str, top_up_id: str, *, amount: int,
                    balance: int) -> bool:  # fmt: skip
    """To the guest whose card top-up was credited: to their Telegram chat when subscribed,
    else nothing (the cabinet's page says it already; an SMS would cost the venue money).
    Once per top-up; False: nothing written."""
    chat = uow.notifications.chat_of(guest_id)
    if chat is None:
        return False
    text = render_for(notify_settings(), TOP_UP_CREDITED, current(uow),
                      {"name": _name(uow, guest_id), "amount": amount,
                       "balance": balance})  # fmt: skip
    return uow.notifications.enqueue(
        TELEGRAM, chat, TOP_UP_CREDITED, f"top_up_credited:{top_up_id}", text, guest_id=guest_id
    )
