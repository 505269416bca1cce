"""How a terminal reaches its server without giving its secrets away on the network.

The bearer token and a manager's ``X-Staff-Pin`` travel in every request, so a till talks
HTTPS to any other machine. Plain ``http://`` is accepted only to this machine (loopback: a
server on the till itself, or a TLS-terminating proxy beside it) or when the operator says
so (``--insecure``, kept with the till's settings at enrolment). The refusal comes before any
connection is made: a token is never sent in clear by mistake.

The server's certificate is checked against ``--ca-cert PATH`` when given (a shop's own
certificate authority or a self-signed certificate), else against the operating system's
certificate bundle where Python finds one (Linux: ``/etc/ssl/certs``, including CAs added
with ``update-ca-certificates``), else against ``certifi``'s bundle that ``requests`` ships.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import requests


class ServerLinkError(ValueError):
    """The server's address or certificate setting cannot be used; the message says why."""


class InsecureServer(ServerLinkError):
    """Plain http:// to another machine without the operator's ``--insecure``."""


@dataclass(frozen=True, slots=True)
class ServerTrust:
    """What the operator told the terminal about its server's transport."""

    ca_cert: str | None = None  # PEM file of the CA (or the self-signed certificate) to trust
    insecure: bool = False  # plain http:// to another machine allowed

    def verify(self) -> str | bool:
        """``requests``' ``verify=``: the given CA file, the OS bundle, or certifi's."""
        if self.ca_cert:
            return self.ca_cert
        import ssl

        system = ssl.get_default_verify_paths().cafile
        return system if system and Path(system).is_file() else True


DEFAULT_TRUST = ServerTrust()  # the system's CAs; plain http:// to this machine only


def is_loopback(host: str) -> bool:
    """This machine by name or address; no lookup is made (a name could lie)."""
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def check_server_url(url: str, trust: ServerTrust) -> str:
    """``url`` without a trailing slash, or ``ServerLinkError`` saying what to change."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if scheme not in ("http", "https") or not host:
        raise ServerLinkError(f"The server address {url!r} is not a URL like "
                              "https://server.example:8765.")  # fmt: skip
    if scheme == "http" and not trust.insecure and not is_loopback(host):
        raise InsecureServer(
            f"The server {url} is reached over plain http://, so the till's token and "
            "managers' PINs would cross the network unencrypted. Use https:// (pos-server run "
            "--tls-cert/--tls-key, or a proxy, see docs/deploy.md), or accept the risk "
            "explicitly with --insecure.")
    if trust.ca_cert and not Path(trust.ca_cert).is_file():
        raise ServerLinkError(f"The certificate file {trust.ca_cert} (--ca-cert) does not exist.")
    return url.strip().rstrip("/")


def new_session(url: str, trust: ServerTrust) -> requests.Session:
    """A ``requests`` session for ``url`` once ``check_server_url`` accepts it."""
    import requests  # here: the till parses its options before requests is needed

    class PinnedSession(requests.Session):
        """``requests`` lets ``REQUESTS_CA_BUNDLE`` replace a session's ``verify``
        (https://github.com/psf/requests/issues/3829): ``--ca-cert`` is passed with each
        request instead, so the operator's choice is the one used."""

        def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
                    ) -> requests.Response:  # fmt: skip
            kwargs.setdefault("verify", self.verify)
            return super().request(method, url, *args, **kwargs)

    check_server_url(url, trust)
    session = PinnedSession() if trust.ca_cert else requests.Session()
    session.verify = trust.verify()
    return session
