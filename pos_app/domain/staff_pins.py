"""Staff roles and PIN hashing, shared by the server (which makes the hashes) and the tills
(which check a PIN offline against the hashes the change feed brought).

One definition on both sides: a till and a server that disagreed on a parameter would lock
every cashier out. Only ``hashlib`` (PBKDF2-SHA256, or scrypt for records made elsewhere).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

# A till tries every active record on sign-in (a PIN alone identifies the person), so the
# cost is paid once per staff member there: 60 000 rounds keep a sign-in well under a second.
PIN_PARAMS: Mapping[str, Any] = {"algorithm": "pbkdf2_sha256", "iterations": 60_000}
SALT_BYTES = 16
_PIN_RE = re.compile(r"[0-9]{4,8}")


class Role(StrEnum):
    CASHIER = "cashier"
    MANAGER = "manager"
    OPERATOR = "operator"
    ADMIN = "admin"


class UnknownPinAlgorithm(ValueError):
    """A record hashed with something this version cannot compute."""


def pin_format_ok(pin: str) -> bool:
    """A PIN is 4 to 8 digits (surrounding spaces are the caller's to strip)."""
    return _PIN_RE.fullmatch(pin) is not None


def hash_pin(pin: str, salt: bytes, params: Mapping[str, Any]) -> str:
    """The hex digest of ``pin`` under ``params``."""
    algorithm = params.get("algorithm", "pbkdf2_sha256")
    if algorithm == "pbkdf2_sha256":
        iterations = int(params.get("iterations", PIN_PARAMS["iterations"]))
        return hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations).hex()
    if algorithm == "scrypt":
        n, r, p = int(params.get("n", 2**14)), int(params.get("r", 8)), int(params.get("p", 1))
        dklen = int(params.get("dklen", 32))
        return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=dklen,
                              maxmem=2 * 128 * n * r * p + 2**20).hex()  # fmt: skip
    raise UnknownPinAlgorithm(f"Unknown PIN hash algorithm {algorithm!r}.")


def pin_matches(pin: str, pin_hash: str, salt_hex: str, params: Mapping[str, Any]) -> bool:
    """Constant-time check; a record that cannot be checked never matches."""
    try:
        candidate = hash_pin(pin, bytes.fromhex(salt_hex), params)
    except (UnknownPinAlgorithm, ValueError):
        return False
    return hmac.compare_digest(candidate, pin_hash.lower())
