"""A reconciliation item in words a manager reads: what kind of operation, what it was about
(the receipt and its total, the guest, the points held), and the server's reason.

Everything is derived from the item's stored ``kind``, ``payload`` and ``reason`` (the payload
shapes of ``pos_app.domain.operations``), so an item needs nothing else from the store.
An unknown kind or reason shows as it is: still readable, never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from pos_app.domain import operations as k
from pos_app.ui.till.format import money, points

translate = QCoreApplication.translate  # literal calls, so lupdate finds the texts
Payload = Mapping[str, Any]
ORDER_KINDS = frozenset({k.ORDER_ACCEPTED, k.ORDER_CANCELLED, k.ORDER_VOIDED, k.ORDER_COMPLETED,
                         k.ORDER_ITEM_DELIVERED, k.ORDER_PAID})


def kind_text(kind: str) -> str:
    """The operation's kind as a short noun phrase."""
    texts = {
        k.SALE_CLOSED: translate("Reconciliation", "Sale"),
        k.SALE_CANCELLED: translate("Reconciliation", "Cancelled sale"),
        k.SALE_REFUNDED: translate("Reconciliation", "Refund"),
        k.GUEST_CREATED: translate("Reconciliation", "New guest"),
        k.IDENTIFIER_BOUND: translate("Reconciliation", "Card given to a guest"),
        k.HOLD_PLACED: translate("Reconciliation", "Points hold"),
        k.HOLD_COMMITTED: translate("Reconciliation", "Points spent"),
        k.HOLD_RELEASED: translate("Reconciliation", "Points hold released"),
        k.PROMO_ISSUED: translate("Reconciliation", "Promo code issued"),
        k.PROMO_REDEEMED: translate("Reconciliation", "Promo code used"),
        k.SHIFT_OPENED: translate("Reconciliation", "Shift opened"),
        k.SHIFT_CLOSED: translate("Reconciliation", "Shift closed"),
    }
    if kind in ORDER_KINDS:
        return translate("Reconciliation", "Guest order")
    return texts.get(kind, kind)


def describe(kind: str, payload: Payload) -> str:
    """What the operation was about, from its payload."""
    make = _DESCRIBERS.get(kind)
    if make is None and kind in ORDER_KINDS:
        make = _order
    try:
        return make(payload) if make else ""
    except (AttributeError, TypeError, ValueError, KeyError):
        return ""  # a payload of another shape: say nothing rather than something wrong


def reason_text(reason: str, message: str) -> str:
    """The server's reason in the UI's language; its own (English) message for the rest."""
    texts = {
        "unknown_guest": translate("Reconciliation", "The server does not know this guest."),
        "totals_mismatch": translate("Reconciliation", "The amounts do not add up."),
        "insufficient_points": translate("Reconciliation", "The guest did not have the points."),
        "daily_limit": translate("Reconciliation", "Over the guest's daily limit."),
        "guest_exists": translate(
            "Reconciliation", "The guest already exists; the server's details were taken."
        ),
        "phone_has_code": translate(
            "Reconciliation", "The phone already has a promo code; the server's code was taken."
        ),
        "promo_code_taken": translate("Reconciliation", "The promo code belongs to another guest."),
        "unknown_promo_code": translate("Reconciliation", "The server does not know the code."),
        "own_promo_code": translate("Reconciliation", "A guest used their own promo code."),
        "already_redeemed": translate("Reconciliation", "The cashback was already paid."),
        "sale_not_recorded": translate("Reconciliation", "The sale is not on the server."),
        "already_refunded": translate("Reconciliation", "The sale was already refunded."),
        "sale_exists": translate("Reconciliation", "The sale was already recorded."),
        "shift_exists": translate("Reconciliation", "The shift was already opened."),
        "shift_closed": translate("Reconciliation", "The shift is already closed."),
        "unknown_shift": translate("Reconciliation", "The server does not know this shift."),
        "hold_not_found": translate("Reconciliation", "The server does not know this hold."),
        "hold_exists": translate("Reconciliation", "The hold already exists."),
        "hold_mismatch": translate("Reconciliation", "The points paid differ from the hold."),
        "guest_required": translate("Reconciliation", "This payment needs a guest."),
        "unknown_order": translate("Reconciliation", "The server does not know this order."),
        "unknown_kind": translate("Reconciliation", "The server does not know this operation."),
    }
    return texts.get(reason) or message or reason


def _guest_name(payload: Payload) -> str:
    guest = payload.get("guest")
    return str(guest.get("name") or "") if isinstance(guest, Mapping) else ""


def _with_guest(text: str, payload: Payload) -> str:
    name = _guest_name(payload)
    return text + " · " + name if name else text


def _sale(payload: Payload) -> str:
    total = int(payload.get("totals", {}).get("total", 0))
    text = translate("Reconciliation", "Receipt %1, %2").replace(
        "%1", str(payload.get("receipt_no") or "")
    )
    return _with_guest(text.replace("%2", money(total)), payload)


def _cancelled(payload: Payload) -> str:
    total = int(payload.get("totals", {}).get("total", 0))
    text = translate("Reconciliation", "A basket of %1").replace("%1", money(total))
    return _with_guest(text, payload)


def _refund(payload: Payload) -> str:
    amount = sum(int(p.get("amount", 0)) for p in payload.get("payments") or ())
    return (
        translate("Reconciliation", "Receipt %1, %2 back")
        .replace("%1", str(payload.get("receipt_no") or ""))
        .replace("%2", money(amount))
    )


def _guest(payload: Payload) -> str:
    name, phone = str(payload.get("name") or ""), payload.get("phone")
    return f"{name}, {phone}" if phone else name


def _card(payload: Payload) -> str:
    return translate("Reconciliation", "Card %1").replace("%1", str(payload.get("value") or ""))


def _hold(payload: Payload) -> str:
    if payload.get("amount") is None:
        return translate("Reconciliation", "Hold %1").replace(
            "%1", str(payload.get("hold_id") or "")[:8]
        )
    return translate("Reconciliation", "%1 in points").replace("%1", points(int(payload["amount"])))


def _promo_issued(payload: Payload) -> str:
    code, phone = str(payload.get("code") or ""), payload.get("phone")
    return f"{code}, {phone}" if phone else code


def _promo_redeemed(payload: Payload) -> str:
    return (
        translate("Reconciliation", "Code %1, cashback %2")
        .replace("%1", str(payload.get("code") or ""))
        .replace("%2", money(int(payload.get("cashback", 0))))
    )


def _shift(payload: Payload) -> str:
    return translate("Reconciliation", "Shift no. %1").replace(
        "%1", str(payload.get("number") or "")
    )


def _order(payload: Payload) -> str:
    return translate("Reconciliation", "Order %1").replace(
        "%1", str(payload.get("order_id") or "")[:8]
    )


_DESCRIBERS: Mapping[str, Callable[[Payload], str]] = {
    k.SALE_CLOSED: _sale,
    k.SALE_CANCELLED: _cancelled,
    k.SALE_REFUNDED: _refund,
    k.GUEST_CREATED: _guest,
    k.IDENTIFIER_BOUND: _card,
    k.HOLD_PLACED: _hold,
    k.HOLD_COMMITTED: _hold,
    k.HOLD_RELEASED: _hold,
    k.PROMO_ISSUED: _promo_issued,
    k.PROMO_REDEEMED: _promo_redeemed,
    k.SHIFT_OPENED: _shift,
    k.SHIFT_CLOSED: _shift,
}
