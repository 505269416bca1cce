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


def _t(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def _texts() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    return {
        "wrong_pin": lambda d: _t("Wrong PIN. %n more tries before a pause.").replace(
            "%n", str(d.get("tries_left", 0))
        ),
        "invalid_pin": lambda d: _t("A PIN is 4 to 8 digits."),
        "sign_in_locked": lambda d: _t("Too many wrong PINs. Try again in %1 seconds.").replace(
            "%1", str(d.get("seconds", ""))
        ),
        "unknown_staff": lambda d: _t(
            "No staff are set up on this till yet; sync with the server or load the demo data."
        ),
        "product_not_found": lambda d: _t("No product has the code %1.").replace(
            "%1", str(d.get("barcode") or d.get("product_id") or "")
        ),
        "guest_not_found": lambda d: _t("No guest has this card or code."),
        "ambiguous_phone": lambda d: _t(
            "Several guests share this phone number; identify the guest by card instead."
        ),
        "invalid_phone": lambda d: _t("This is not a phone number."),
        "bad_swipe": lambda d: _t("Card not read — swipe again."),
        "empty_sale": lambda d: _t("The basket is empty."),
        "not_paid_in_full": lambda d: _t("The sale is not paid in full yet."),
        "nothing_due": lambda d: _t("Nothing is left to pay."),
        "invalid_amount": lambda d: _t("This is not an amount of money."),
        "overpayment": lambda d: _t("This is more than is due."),
        "payment_started": lambda d: _t("A payment was already taken; finish or cancel the sale."),
        "line_not_found": lambda d: _t("This line is no longer in the basket."),
        "sale_not_open": lambda d: _t("This sale is already finished; start a new one."),
        "permission_denied": lambda d: _t("A manager's PIN is needed for this."),
        "identifier_taken": lambda d: _t("This card already belongs to another guest."),
        "daily_identification_limit": lambda d: _t(
            "This guest has used the card as many times today as allowed."
        ),
        "daily_spend_limit": lambda d: _t("This guest is over today's spending limit."),
    }


def cashier_text(error: BaseException) -> str:
    """One sentence for the cashier about ``error``."""
    if isinstance(error, DomainError):
        make = _texts().get(error.code)
        return make(error.details) if make else error.message
    if isinstance(error, OSError):
        return _t("The till cannot reach a file or device: %1").replace("%1", str(error))
    return _t("Something went wrong: %1").replace("%1", str(error) or type(error).__name__)
