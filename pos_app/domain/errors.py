"""Typed domain errors.

Every error carries a stable ``code`` (the UI maps it to translated text), an English
``message`` a cashier can read, and ``details`` with the figures the message mentions, so a
screen can say *why* ("only 300.00 points available") rather than just "error".
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every rule violation; never a programming error."""

    code = "domain_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details

    def __str__(self) -> str:
        return self.message


class InvalidAmount(DomainError):
    code = "invalid_amount"


class InvalidPercent(DomainError):
    code = "invalid_percent"
