"""Errors as sentences a cashier understands, in the UI's language.

Domain errors carry a stable ``code`` and the figures behind the message in ``details``; this
maps the codes the till meets to translated text. An unknown code falls back to the error's
own (English) message - still a sentence, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_money
from pos_app.ui.till.format import points


def _texts() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    return {
        "wrong_pin": lambda d: QCoreApplication.translate(
            "Errors", "Wrong PIN. %1 more tries before a pause."
        ).replace("%1", str(d.get("tries_left", 0))),
        "invalid_pin": lambda d: QCoreApplication.translate("Errors", "A PIN is 4 to 8 digits."),
        "sign_in_locked": lambda d: QCoreApplication.translate(
            "Errors", "Too many wrong PINs. Try again in %1 seconds."
        ).replace("%1", str(d.get("seconds", ""))),
        "unknown_staff": lambda d: QCoreApplication.translate(
            "Errors",
            "No staff are set up on this till yet; sync with the server or load the demo data.",
        ),
        "product_not_found": lambda d: QCoreApplication.translate(
            "Errors", "No product has the code %1."
        ).replace("%1", str(d.get("barcode") or d.get("product_id") or "")),
        "product_off_sale": lambda d: QCoreApplication.translate(
            "Errors", "%1 is off sale: its group «%2» is inactive in the back office."
        ).replace("%1", str(d.get("product", ""))).replace("%2", str(d.get("group", ""))),
        "guest_not_found": lambda d: QCoreApplication.translate(
            "Errors", "No guest has this card or code."
        ),
        "ambiguous_phone": lambda d: QCoreApplication.translate(
            "Errors", "Several guests share this phone number; identify the guest by card instead."
        ),
        "invalid_phone": lambda d: QCoreApplication.translate(
            "Errors", "This is not a phone number."
        ),
        "bad_swipe": lambda d: QCoreApplication.translate("Errors", "Card not read — swipe again."),
        "empty_sale": lambda d: QCoreApplication.translate("Errors", "The basket is empty."),
        "not_paid_in_full": lambda d: QCoreApplication.translate(
            "Errors", "The sale is not paid in full yet."
        ),
        "nothing_due": lambda d: QCoreApplication.translate("Errors", "Nothing is left to pay."),
        "invalid_amount": lambda d: QCoreApplication.translate(
            "Errors", "This is not an amount of money."
        ),
        "overpayment": lambda d: QCoreApplication.translate("Errors", "This is more than is due."),
        "payment_started": lambda d: QCoreApplication.translate(
            "Errors", "A payment was already taken; finish or cancel the sale."
        ),
        "line_not_found": lambda d: QCoreApplication.translate(
            "Errors", "This line is no longer in the basket."
        ),
        "sale_not_open": lambda d: QCoreApplication.translate(
            "Errors", "This sale is already finished; start a new one."
        ),
        "permission_denied": lambda d: QCoreApplication.translate(
            "Errors", "A manager's PIN is needed for this."
        ),
        "identifier_taken": lambda d: QCoreApplication.translate(
            "Errors", "This card already belongs to another guest."
        ),
        "daily_identification_limit": lambda d: QCoreApplication.translate(
            "Errors", "This guest has reached today's limit of card uses (%1)."
        ).replace("%1", str(d.get("limit", ""))),
        "daily_spend_limit": lambda d: QCoreApplication.translate(
            "Errors", "This guest is over today's spending limit."
        ),
        "card_declined": lambda d: QCoreApplication.translate(
            "Errors", "The card was declined. Ask for another card or another way to pay."
        ),
        "card_terminal_unavailable": lambda d: QCoreApplication.translate(
            "Errors",
            "The card terminal does not answer; nothing was charged. Try again or take cash.",
        ),
        "card_payment_uncertain": lambda d: QCoreApplication.translate(
            "Errors",
            "The card terminal stopped answering, so it is not known whether the card was "
            "charged. Check the terminal's last slip before charging again.",
        ),
        "no_card_terminal": lambda d: QCoreApplication.translate(
            "Errors", "No card terminal is set up on this till."
        ),
        "no_printer": lambda d: QCoreApplication.translate(
            "Errors", "No printer is set up on this till."
        ),
        "insufficient_balance": lambda d: QCoreApplication.translate(
            "Errors", "The guest has only %1 on their balance."
        ).replace("%1", format_money(int(d.get("available", 0)))),
        "insufficient_points": lambda d: QCoreApplication.translate(
            "Errors", "The guest has only %1 available."
        ).replace("%1", points(max(int(d.get("available", 0)), 0))),
        "no_guest": lambda d: QCoreApplication.translate("Errors", "Identify the guest first."),
        "operations_waiting": lambda d: QCoreApplication.translate(
            "Errors",
            "%1 operations have not reached the server yet; closing the shift now needs a "
            "manager's PIN.",
        ).replace("%1", str(d.get("count", ""))),
        "no_open_shift": lambda d: QCoreApplication.translate("Errors", "No shift is open."),
        "shift_already_open": lambda d: QCoreApplication.translate(
            "Errors", "A shift is already open on this till."
        ),
        "not_enough_cash": lambda d: QCoreApplication.translate(
            "Errors", "There is not that much cash in the drawer."
        ),
        "invalid_promo_code": lambda d: QCoreApplication.translate(
            "Errors", "This is not a promo code; type the digits after the prefix."
        ),
        "unknown_promo_code": lambda d: QCoreApplication.translate(
            "Errors", "Promo code %1 is not known at this till; check the digits."
        ).replace("%1", str(d.get("promo_code", ""))),
        "own_promo_code": lambda d: QCoreApplication.translate(
            "Errors", "Guests cannot use their own promo code."
        ),
        "order_discount_given": lambda d: QCoreApplication.translate(
            "Errors", "This sale already has an order discount."
        ),
        "points_not_allowed": lambda d: QCoreApplication.translate(
            "Errors", "At most %1 can be paid with points now."
        ).replace("%1", points(int(d.get("max_points", 0)))),
        "points_refused": _points_refused,
        "points_not_confirmed": lambda d: QCoreApplication.translate(
            "Errors",
            "The server did not confirm the points in time; nothing was taken. Try again or "
            "take another payment.",
        ),
        "points_offline_limit": lambda d: QCoreApplication.translate(
            "Errors", "Without the server at most %1 can be paid with points for this guest."
        ).replace("%1", points(int(d.get("room", 0)))),
        "promo_code_applied": lambda d: QCoreApplication.translate(
            "Errors", "A promo code already gives this order its discount; remove the code first."
        ),
        "invalid_percent": lambda d: QCoreApplication.translate(
            "Errors", "Type a percentage from 0 to 100, e.g. 10 or 7,5."
        ),
        "sale_not_found": lambda d: QCoreApplication.translate(
            "Errors", "There is no such receipt at this till."
        ),
        "sale_not_closed": lambda d: QCoreApplication.translate(
            "Errors", "Only a paid, closed sale can be refunded."
        ),
        "already_refunded": lambda d: QCoreApplication.translate(
            "Errors", "This receipt was already refunded."
        ),
        "refund_too_large": lambda d: QCoreApplication.translate(
            "Errors", "That is more than is left to refund on this receipt."
        ),
        "nothing_to_refund": lambda d: QCoreApplication.translate(
            "Errors", "Choose at least one line and quantity to refund."
        ),
        "partial_card_refund": lambda d: QCoreApplication.translate(
            "Errors", "The card payment (%1) can only be given back whole: choose lines worth "
            "at least that much, or refund the whole receipt."
        ).replace("%1", format_money(int(d.get("card", 0)))),
        "cash_difference": _difference,
        "phone_taken": lambda d: QCoreApplication.translate(
            "Errors", "This phone number belongs to another guest."
        ),
        "unknown_identifier": lambda d: QCoreApplication.translate(
            "Errors", "The guest has no such card or code."
        ),
        "invalid_guest_card": lambda d: QCoreApplication.translate(
            "Errors", "The card cannot be saved like this: a name is needed, a birthday is a "
            "past date (YYYY-MM-DD), a percentage is 0 to 100, and blocking, replacing or "
            "posting needs a reason."
        ),
        "history_unavailable": lambda d: QCoreApplication.translate(
            "Errors", "The history is kept on the server, which cannot be reached now; pages "
            "viewed before are shown when you open them again."
        ),
        "guest_exists": lambda d: QCoreApplication.translate(
            "Errors", "A guest with this phone number already exists; identify that guest instead."
        ),
        "not_enough_tendered": lambda d: QCoreApplication.translate(
            "Errors", "Less was handed over than the top-up: %1."
        ).replace("%1", format_money(int(d.get("amount", 0)))),
        "top_up_refused": lambda d: QCoreApplication.translate(
            "Errors", "This top-up is more than your role may take; ask a manager."
        ),
        "top_up_already_refunded": lambda d: QCoreApplication.translate(
            "Errors", "This top-up was given back already."
        ),
        "top_up_not_found": lambda d: QCoreApplication.translate(
            "Errors", "There is no such top-up on this till."
        ),
    }


def _points_refused(d: Mapping[str, Any]) -> str:
    """Why the server would not take the points, as it said (``PointsService._refused``)."""
    reason, available = d.get("reason"), d.get("server_available")
    if reason == "insufficient_points" and available is not None:
        return QCoreApplication.translate(
            "Errors",
            "The server has %1 for this guest, so no points were taken; the guest's "
            "points now show the server's figure. Take another payment.",
        ).replace("%1", points(int(available)))
    if reason == "insufficient_points":
        return QCoreApplication.translate(
            "Errors",
            "The server has fewer points for this guest than asked; no points were "
            "taken. Take another payment.",
        )
    if reason == "unknown_guest":
        return QCoreApplication.translate(
            "Errors",
            "This guest is not known to the server yet (a guest made at this till "
            "reaches it with the next sync), so no points were taken. Take another payment.",
        )
    if reason == "daily_limit":
        return QCoreApplication.translate(
            "Errors",
            "The server says this guest reached today's points limit; no points were "
            "taken. Take another payment.",
        )
    return QCoreApplication.translate(
        "Errors", "The server refused the points payment; take another payment."
    )


def _difference(d: Mapping[str, Any]) -> str:
    diff = int(d.get("difference", 0))
    text = (QCoreApplication.translate("Errors", "Expected %1, counted %2: %3 short.")
            if diff < 0 else
            QCoreApplication.translate("Errors", "Expected %1, counted %2: %3 over."))  # fmt: skip
    return (text.replace("%1", format_money(int(d.get("expected", 0))))
            .replace("%2", format_money(int(d.get("counted", 0))))
            .replace("%3", format_money(abs(diff))))  # fmt: skip


def cashier_text(error: BaseException) -> str:
    """One sentence for the cashier about ``error``."""
    if isinstance(error, DomainError):
        make = _texts().get(error.code)
        return make(error.details) if make else error.message
    from pos_app.services.ports import StoreError  # only when something failed

    if isinstance(error, StoreError):
        return QCoreApplication.translate("Errors", "The till cannot use its database: %1").replace(
            "%1", str(error)
        )
    if isinstance(error, OSError):
        return QCoreApplication.translate(
            "Errors", "The till cannot reach a file or device: %1"
        ).replace("%1", str(error))
    return QCoreApplication.translate("Errors", "Something went wrong: %1").replace(
        "%1", str(error) or type(error).__name__
    )
