"""Phone numbers in one form, E.164, so a guest typed as ``8 912…`` and ``+7 912…`` is one guest.

Russian numbers are accepted in every way a cashier types them (``8``/``7``/``+7`` prefix or
just the ten national digits). Other countries must be typed with ``+`` and their code.
"""

from __future__ import annotations

import re

from pos_app.domain.errors import DomainError

_SEPARATORS_RE = re.compile(r"[\s\-().\u00a0]")
_MIN_DIGITS = 8
_MAX_DIGITS = 15  # ITU-T E.164 maximum
_RU_NATIONAL = 10


class InvalidPhone(DomainError):
    code = "invalid_phone"


def _fail(text: str, why: str) -> InvalidPhone:
    return InvalidPhone(f"{text.strip()!r} is not a phone number: {why}.", text=text)


def normalise_phone(text: str) -> str:
    """``"8 (912) 123-45-67"`` -> ``"+79121234567"``; raises :class:`InvalidPhone`."""
    stripped = text.strip()
    if not stripped:
        raise _fail(text, "it is empty")
    has_plus = stripped.startswith("+")
    body = _SEPARATORS_RE.sub("", stripped[1:] if has_plus else stripped)
    if not body.isascii() or not body.isdigit():
        raise _fail(text, "only digits, spaces, brackets and dashes are allowed")
    if has_plus:
        return _international(text, body)
    if len(body) == _RU_NATIONAL + 1 and body[0] in "78":
        return _russian(text, body[1:])
    if len(body) == _RU_NATIONAL:
        return _russian(text, body)
    raise _fail(text, "type a Russian number with 8 or +7, or a foreign one with + and its code")


def _international(text: str, body: str) -> str:
    if body.startswith("0"):
        raise _fail(text, "a country code cannot start with 0")
    if body.startswith("7"):
        if len(body) != _RU_NATIONAL + 1:
            raise _fail(text, "a Russian number has 10 digits after +7")
        return _russian(text, body[1:])
    if body.startswith("89"):  # "+8 912 ..." is a Russian number typed with a stray "+"
        raise _fail(text, "there is no country code +89; type a Russian number as +7 or 8")
    if not _MIN_DIGITS <= len(body) <= _MAX_DIGITS:
        raise _fail(text, f"it needs {_MIN_DIGITS} to {_MAX_DIGITS} digits after +")
    return "+" + body


def _russian(text: str, national: str) -> str:
    """``+7`` and the ten national digits; area and mobile codes never start with 0, 1 or 2."""
    if national[0] in "012":
        raise _fail(text, "a number after +7 or 8 cannot start with 0, 1 or 2")
    return "+7" + national


def is_mobile(e164: str) -> bool:
    """Whether an E.164 number is a Russian mobile (``+79…``), i.e. can receive SMS here."""
    return len(e164) == 12 and e164.startswith("+79") and e164[1:].isdigit()
