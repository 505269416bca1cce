"""Staff passwords (argon2id) and long staff keys: the credentials of the server's admin routes.

A PIN is for the till (a few digits, checked offline against a hash every till holds, so it
can be guessed offline from a stolen till database); admin and back-office access on the
server takes one of these instead (docs/security.md "Staff credentials on the server"):

- a password of at least ``MIN_PASSWORD_CHARS`` characters, kept as an argon2id hash
  (RFC 9106's second recommended profile: 64 MiB, 3 passes, 4 lanes; about 0.2 s per check on
  one server core). Never sent to the tills. The back office will sign in with it too, so
  hashing and checking live here, free of HTTP;
- a staff key: 32 random bytes (``tk_`` + URL-safe base64) for scripts, shown once when made;
  the server keeps its SHA-256 only (a key is too long to guess, so a fast digest is enough
  and lets the key itself find its row through an index).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
KEY_PREFIX = "tk_"
KEY_BYTES = 32
_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)
# Checked instead when there is no hash to check (unknown person, no password set), so the
# answer takes as long as a real check and says nothing about who exists.
_DUMMY_HASH = _HASHER.hash("no such password; the time of a real check")


class PasswordRefused(ValueError):
    """A new password that does not meet the rule; the message says the rule."""


def require_password(password: str) -> str:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise PasswordRefused(
            f"A staff password is {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters."
        )
    if password.strip() != password or not password.isprintable():
        raise PasswordRefused("A staff password has no leading or trailing spaces and no "
                              "control characters.")  # fmt: skip
    return password


def hash_password(password: str) -> str:
    """The argon2id hash (with its salt and parameters) of a password meeting the rule."""
    return _HASHER.hash(require_password(password))


def hash_checked(password: str) -> str:
    """The argon2id hash of a password whose own rule its caller checked (a guest's cabinet
    password: ``pos_server.cabinet_web.accounts``); the same parameters as staff passwords."""
    return _HASHER.hash(password)


def password_matches(password: str, stored: str | None) -> bool:
    """Whether ``password`` is the one behind ``stored``; as slow when there is none."""
    try:
        return _HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """A hash of weaker parameters than today's (rehashed on the next right password)."""
    return _HASHER.check_needs_rehash(stored)


def new_key() -> str:
    """A fresh staff key, to be shown once."""
    return KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)


def key_digest(key: str) -> str:
    """What the server stores and looks a key up by."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str, stored_digest: str | None) -> bool:
    return stored_digest is not None and hmac.compare_digest(key_digest(key), stored_digest)
