"""Enrolment: a one-time code becomes the terminal's id and secret token, kept safely.

The token lives in the OS keyring (``keyring``: Windows Credential Locker, macOS Keychain,
Secret Service / KWallet on Linux) - never in a plain file by accident (DESIGN.md "Terminal
identity"). A headless Linux box often has no keyring backend at all (``keyring`` then picks
``fail.Keyring``, ``null.Keyring`` or a chainer with nothing in it); there the till refuses with
a sentence saying so, unless the operator explicitly chose the fallback ``file:PATH`` - a file
created with mode 0600 that the till also refuses to read once others can read it. The choice
is the operator's and is recorded with the till's settings (``sync.token_store``).
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import keyring
import keyring.backend
import keyring.errors

SERVICE = "pos_app"
KEYRING = "keyring"
FILE_PREFIX = "file:"


class TokenStoreError(Exception):
    """The token cannot be kept or read where the operator asked; the message says what to do."""


class TokenStore(Protocol):
    choice: str  # what goes into the settings: "keyring" or "file:/path"

    def save(self, terminal_id: str, token: str) -> None: ...
    def load(self, terminal_id: str) -> str | None: ...


def _unusable(backend: keyring.backend.KeyringBackend) -> bool:
    module = type(backend).__module__
    if module in ("keyring.backends.fail", "keyring.backends.null"):
        return True
    if module == "keyring.backends.chainer":
        return not getattr(backend, "backends", ())
    return False


class KeyringTokenStore:
    """The OS keyring (or whichever backend ``keyring.set_keyring`` installed)."""

    choice = KEYRING

    def __init__(self) -> None:
        backend = keyring.get_keyring()
        if _unusable(backend):
            raise TokenStoreError(
                "This computer has no keyring to keep the till's token in "
                f"({type(backend).__module__}). Install and unlock one (Secret Service, "
                "KWallet), or choose a protected file explicitly with "
                "--token-store file:PATH (readable by this user only)."
            )

    def save(self, terminal_id: str, token: str) -> None:
        try:
            keyring.set_password(SERVICE, terminal_id, token)
        except keyring.errors.KeyringError as exc:
            raise TokenStoreError(f"The keyring refused to keep the token: {exc}") from exc

    def load(self, terminal_id: str) -> str | None:
        try:
            return keyring.get_password(SERVICE, terminal_id)
        except keyring.errors.KeyringError as exc:
            raise TokenStoreError(f"The keyring could not be read: {exc}") from exc


class FileTokenStore:
    """The operator's explicit fallback: one token per line ``terminal_id=token``, mode 0600."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser().absolute()
        self.choice = FILE_PREFIX + str(self.path)

    def save(self, terminal_id: str, token: str) -> None:
        tokens = self._read() if self.path.exists() else {}
        tokens[terminal_id] = token
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(f"{k}={v}\n" for k, v in sorted(tokens.items()))
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text)
        os.chmod(self.path, 0o600)  # an existing file keeps its old mode through os.open

    def load(self, terminal_id: str) -> str | None:
        if not self.path.exists():
            return None
        return self._read().get(terminal_id)

    def _read(self) -> dict[str, str]:
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if sys.platform != "win32" and mode & 0o077:
            raise TokenStoreError(
                f"The token file {self.path} can be read by other users (mode {mode:o}); "
                f"make it private with: chmod 600 {self.path}"
            )
        lines = self.path.read_text(encoding="ascii").splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)


def token_store(choice: str) -> TokenStore:
    """``"keyring"`` or ``"file:PATH"`` (the operator's explicit choice)."""
    if choice == KEYRING:
        return KeyringTokenStore()
    if choice.startswith(FILE_PREFIX) and len(choice) > len(FILE_PREFIX):
        return FileTokenStore(choice[len(FILE_PREFIX):])
    raise TokenStoreError(f"Unknown token store {choice!r}: use 'keyring' or 'file:PATH'.")


@dataclass(frozen=True, slots=True)
class Enrolment:
    terminal_id: str
    token_store: str


class Enroller(Protocol):
    def enrol(self, code: str) -> tuple[str, str]: ...


def enrol(transport: Enroller, code: str, store: TokenStore) -> Enrolment:
    """Exchange ``code`` for the terminal's id and token; the token goes into ``store`` only.

    The store is checked before the code is spent: a code works once, so a till that could not
    keep the token must not use it up.
    """
    terminal_id, token = transport.enrol(code.strip())
    store.save(terminal_id, token)
    return Enrolment(terminal_id, store.choice)
