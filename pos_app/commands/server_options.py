"""``--ca-cert`` and ``--insecure``: the server transport options of every command that talks
to the server (``pos_app.sync.server_link`` says what they mean). Light to import: the till
parses its command line before anything else loads."""

from __future__ import annotations

import argparse
from pathlib import Path

from pos_app.sync.server_link import ServerTrust


def add_trust_options(parser: argparse.ArgumentParser) -> None:
    """``--ca-cert`` and ``--insecure`` of every command that talks to the server."""
    parser.add_argument("--ca-cert", metavar="PEM",
                        help="trust the server's certificate signed by this CA (or this "
                             "self-signed certificate); default: the system's CAs")
    parser.add_argument("--insecure", action="store_true",
                        help="allow plain http:// to a server on another machine (the token "
                             "and PINs then cross the network unencrypted)")


def trust_of(args: argparse.Namespace) -> ServerTrust:
    """The trust options given on the command line (an absolute ``--ca-cert`` path)."""
    ca_cert = str(Path(args.ca_cert).expanduser().absolute()) if args.ca_cert else None
    return ServerTrust(ca_cert, bool(args.insecure))
