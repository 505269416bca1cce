"""The enrolment link a back office shows as a QR code and a till's first-run wizard reads.

One format, so the screen that shows it and the till that scans it cannot drift apart::

    tillkeeper://enrol?server=<the server's URL, percent-encoded>&code=<the enrolment code>

A URL rather than JSON because a keyboard-wedge scanner types it like any text, a person can
read it, and the parts are percent-encoded, so a server URL with its own ``?`` or ``&`` survives.
Parsing is forgiving about what scanners add (surrounding spaces, a trailing Enter, a BOM,
upper-case scheme) and strict about what it returns: an ``http(s)`` server URL and a non-empty
code without spaces. (The till undoes a Russian keyboard layout before calling this.)
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

SCHEME = "tillkeeper"
ACTION = "enrol"


class BadEnrolLink(ValueError):
    """The text is not an enrolment link; the message says what was expected."""


@dataclass(frozen=True, slots=True)
class EnrolLink:
    server: str
    code: str


def format_enrol_link(server: str, code: str) -> str:
    """The text of the QR code for ``server`` and ``code``."""
    return (f"{SCHEME}://{ACTION}?server={quote(server.strip(), safe='')}"
            f"&code={quote(code.strip(), safe='')}")  # fmt: skip


def looks_like_enrol_link(text: str) -> bool:
    return _clean(text).lower().startswith(SCHEME + ":")


def parse_enrol_link(text: str) -> EnrolLink:
    """``EnrolLink`` of a scanned or pasted link, or ``BadEnrolLink``."""
    cleaned = _clean(text)
    parts = urlsplit(cleaned)
    if parts.scheme.lower() != SCHEME or (parts.netloc or parts.path.strip("/")).lower() != ACTION:
        raise BadEnrolLink(f"Expected a link like {SCHEME}://{ACTION}?server=...&code=...")
    query = parse_qs(parts.query, keep_blank_values=True)
    server = _one(query, "server")
    code = _one(query, "code")
    if not _web_address(server):
        raise BadEnrolLink("The link's server is not an http:// or https:// address.")
    if not code or any(ch.isspace() for ch in code):
        raise BadEnrolLink("The link's enrolment code is empty or has spaces in it.")
    return EnrolLink(server.rstrip("/"), code)


def _clean(text: str) -> str:
    return text.replace("\ufeff", "").strip()


def _web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a bad port or bracket
        return False


def _one(query: dict[str, list[str]], name: str) -> str:
    values = [v.strip() for v in query.get(name, []) if v.strip()]
    if len(set(values)) != 1:
        raise BadEnrolLink(f"The link must carry exactly one {name}.")
    return values[0]
