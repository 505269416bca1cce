"""The range a stored balance or total must stay in (issue 16 point 2).

Wire amounts are capped (``MAX_AMOUNT`` = 10^11 per field, order totals too), but balances are
sums over time: enough unpaid orders or top-ups could push one past what a 64-bit column holds,
and then every resend of that operation failed in the driver (SQLite ``OverflowError``,
PostgreSQL ``bigint out of range``) and the till's queue stopped. A total beyond ``SAFE_LIMIT``
(10^15 kopecks, ten trillion roubles, far inside int64) is refused before anything is written:
the pipeline turns ``AmountOutOfRange`` into the final verdict ``rejected/amount_out_of_range``.
"""

from __future__ import annotations

SAFE_LIMIT = 10**15


class AmountOutOfRange(Exception):
    """A posting would take a stored balance or total outside ``[-SAFE_LIMIT, SAFE_LIMIT]``."""


def check_in_range(what: str, *values: int) -> None:
    """Raise ``AmountOutOfRange`` when any of ``values`` is beyond ``SAFE_LIMIT``."""
    for value in values:
        if not -SAFE_LIMIT <= value <= SAFE_LIMIT:
            raise AmountOutOfRange(
                f"The {what} would become {value}, outside the range the server keeps "
                f"(±{SAFE_LIMIT} kopecks); the operation is not applied."
            )
