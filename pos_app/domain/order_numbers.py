"""Short order numbers an operator can call out across a bar (issue 20 point 5): "A-017".

The server counts the orders placed on each of the venue's days from 1 and gives the n-th one
its number when it is placed; the letter moves on every 999 orders (A-001 .. A-999, B-001 ..),
so a number is never longer than five characters and never ambiguous within a day. Letters
that read like digits or like each other when called out (I, O, Q) are skipped.
"""

from __future__ import annotations

LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
PER_LETTER = 999


def order_number(seq: int) -> str:
    """The ``seq``-th order of a day (1-based) -> ``A-001``; beyond the letters, ``Z-`` and
    the plain count (a venue does not take 22 977 orders a day)."""
    if seq < 1:
        raise ValueError("an order's number of the day starts at 1")
    letter, rest = divmod(seq - 1, PER_LETTER)
    if letter >= len(LETTERS):
        return f"Z-{seq}"
    return f"{LETTERS[letter]}-{rest + 1:03d}"
