"""The card terminal's line protocol (ours; simple enough to implement on any bridge).

One request per TCP connection, UTF-8 lines ending in ``\\n``; fields separated by one space;
amounts are int kopecks; ``ref`` is the till's reference (a UUID, no spaces)::

    PAY <ref> <amount>   ->  APPROVED <ref> <auth_code> <rrn> <card_mask>
                          |  DECLINED <ref> <reason_code> <free text...>
    REVERSE <ref>        ->  REVERSED <ref>      (the charge is undone)
                          |  NOTFOUND <ref>      (never charged: nothing to undo)
    PING                 ->  PONG
    anything else        ->  ERROR <free text...>

A ``PAY`` repeated with a ``ref`` the terminal already approved answers the same approval
again instead of charging twice (a retry after a lost answer is harmless).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LINE = 512
_REF_RE = re.compile(r"^[A-Za-z0-9-]{1,64}$")


class ProtocolError(ValueError):
    """A line that is not the protocol."""


@dataclass(frozen=True, slots=True)
class Reply:
    verb: str
    fields: tuple[str, ...]
    text: str = ""


def pay_line(ref: str, amount: int) -> bytes:
    _check_ref(ref)
    if not isinstance(amount, int) or amount <= 0:
        raise ProtocolError(f"amount must be a positive int of kopecks, not {amount!r}")
    return f"PAY {ref} {amount}\n".encode()


def reverse_line(ref: str) -> bytes:
    _check_ref(ref)
    return f"REVERSE {ref}\n".encode()


def _check_ref(ref: str) -> None:
    if not _REF_RE.match(ref):
        raise ProtocolError(f"a reference is 1-64 letters, digits or dashes, not {ref!r}")


_ARITY = {"APPROVED": 4, "DECLINED": 2, "REVERSED": 1, "NOTFOUND": 1, "PONG": 0, "ERROR": 0}


def parse_reply(line: bytes) -> Reply:
    """``b"APPROVED r1 123456 000000000001 ****1234\\n"`` -> ``Reply("APPROVED", (...))``."""
    try:
        text = line.decode().rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise ProtocolError("the terminal sent bytes that are not UTF-8") from exc
    verb, _, rest = text.partition(" ")
    arity = _ARITY.get(verb)
    if arity is None:
        raise ProtocolError(f"unknown reply {text[:40]!r}")
    parts = rest.split(" ", arity) if rest else []
    if len(parts) < arity:
        raise ProtocolError(f"short reply {text[:60]!r}")
    free = parts[arity] if len(parts) > arity else ""
    return Reply(verb, tuple(parts[:arity]), free)
