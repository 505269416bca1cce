"""CSRF protection of every form.

- Signed in: the session's own token (``web_sessions.csrf_token``, made at sign-in), put in
  every form as the hidden field ``csrf_token`` and sent by htmx as the ``X-CSRF-Token``
  header; a POST whose token is not the session's is refused with 403.
- Before sign-in (the sign-in form itself): double submit: a random token in a cookie of its
  own and the same in the form; a cross-site page can neither read nor set that cookie.

Besides, a POST carrying an ``Origin`` header must come from the server's own origin, and the
session cookie is SameSite=Lax: three independent locks.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

FIELD = "csrf_token"
HEADER = "x-csrf-token"
PRE_COOKIE = "pos_csrf"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def matches(sent: str | None, expected: str | None) -> bool:
    if not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode(), expected.encode())


def same_origin(origin: str | None, host: str | None) -> bool:
    """No Origin header (older browsers): allowed, the token decides; an Origin header must
    name this server's host (the scheme may differ behind a TLS-terminating proxy)."""
    if origin is None:
        return True
    return host is not None and urlsplit(origin).netloc == host
