"""What the server answers about one operation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Breach:
    """A rule broken by an operation the server refuses, listed for managers all the same
    (``rule_breaches``): the pipeline writes it after undoing the operation, so the refusal
    leaves this row and nothing else. ``guest_id`` None: the operation named no guest."""

    guest_id: str | None
    rule: str
    amount: int
    ref: str | None
    message: str


@dataclass(frozen=True)
class Verdict:
    """``applied`` / ``rejected`` (final, business rule) / ``conflict`` (carries current state).

    ``refused`` is not a verdict on the operation: nothing is stored and the till resends
    (a seq gap) or has a bug (an op_id reused with another payload).
    """

    status: str
    reason: str | None = None
    message: str | None = None
    current: dict[str, Any] | None = None
    breach: Breach | None = None  # not part of the answer: written beside the stored verdict

    @property
    def applied(self) -> bool:
        return self.status == "applied"


APPLIED = Verdict("applied")


def rejected(reason: str, message: str, breach: Breach | None = None) -> Verdict:
    return Verdict("rejected", reason, message, breach=breach)


def conflict(reason: str, message: str, current: dict[str, Any]) -> Verdict:
    return Verdict("conflict", reason, message, current)


def refused(reason: str, message: str) -> Verdict:
    return Verdict("refused", reason, message)
