"""Staff roles and PIN hashing, shared by the server (which makes the hashes) and the tills
(which check a PIN offline against the hashes the change feed brought).

One definition on both sides: a till and a server that disagreed on a parameter would lock
every cashier out. Only ``hashlib``: new hashes are scrypt (memory-hard, so a stolen hash is
guessed on ordinary cores only, not thousands at a time on a graphics card); the PBKDF2-SHA256
hashes of older versions still verify, since the parameters travel with every hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

# A till tries every active record on sign-in (a PIN alone identifies the person), so the
# cost is paid once per staff member there. scrypt N=2**14, r=8 (16 MiB) took 53 ms on one
# server core (AMD EPYC, 2026-12): 20 staff cost 1.0 s checked one after the other, 0.6 s on
# two cores (``pos_app.services.staff`` checks records in parallel); see docs/security.md.
PIN_PARAMS: Mapping[str, Any] = {"algorithm": "scrypt", "n": 2**14, "r": 8, "p": 1, "dklen": 32}
LEGACY_PARAMS: Mapping[str, Any] = {"algorithm": "pbkdf2_sha256", "iterations": 60_000}
SALT_BYTES = 16
MIN_PIN_DIGITS = 4
MAX_PIN_DIGITS = 8
# A manager's or an admin's PIN approves what a cashier may not, and may be sent to the
# server for the hold reset: a million choices, not ten thousand.
MIN_MANAGER_PIN_DIGITS = 6
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


def min_pin_digits(role: Role | str) -> int:
    """The shortest PIN a new PIN of ``role`` may have: 6 for managers and admins, else 4."""
    return MIN_MANAGER_PIN_DIGITS if Role(role) in (Role.MANAGER, Role.ADMIN) else MIN_PIN_DIGITS


def pin_rule(role: Role | str) -> str:
    """The sentence telling what a PIN of ``role`` must be."""
    name = Role(role).value
    article = "An" if name[0] in "aeiou" else "A"
    return f"{article} {name}'s PIN is {min_pin_digits(role)} to {MAX_PIN_DIGITS} digits."


def pin_ok_for_role(pin: str, role: Role | str) -> bool:
    """Whether ``pin`` may be set as a new PIN of ``role``."""
    return pin_format_ok(pin) and len(pin) >= min_pin_digits(role)


def is_legacy(params: Mapping[str, Any]) -> bool:
    """A hash made before scrypt and the 6-digit rule for managers (set again to upgrade)."""
    return bool(params.get("algorithm", "pbkdf2_sha256") != PIN_PARAMS["algorithm"])


def hash_pin(pin: str, salt: bytes, params: Mapping[str, Any]) -> str:
    """The hex digest of ``pin`` under ``params``."""
    algorithm = params.get("algorithm", "pbkdf2_sha256")
    if algorithm == "pbkdf2_sha256":
        iterations = int(params.get("iterations", LEGACY_PARAMS["iterations"]))
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
