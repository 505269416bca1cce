"""``pos-app pull [--server URL] [--data-dir DIR]``: bring the till's store up to the feed.

Prints one JSON line of progress per page (``{"applied", "skipped", "deferred", "cursor",
"pages", "head", "done"}``) and exits 0 once the feed is empty; killed half-way, the next run
resumes after the last page it committed. An enrolled till uses its own server and token (the
keyring or the file its operator chose at enrolment); otherwise the token is read from the
environment variable named by ``--token-env`` (default ``POS_APP_TOKEN``), which then also
needs ``--server``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from pos_app.commands.composition import feed_puller
from pos_app.commands.server_options import add_trust_options, trust_of
from pos_app.commands.store_factory import open_till_store
from pos_app.commands.sync_runtime import (
    SERVER_KEY,
    SyncSetupError,
    checked_url,
    load_token,
    server_trust,
)
from pos_app.db import Store
from pos_app.services.ports import StoreError
from pos_app.sync.puller import DEFAULT_PAGE_SIZE, PullError, PullProgress
from pos_app.sync.server_link import ServerTrust

TOKEN_ENV = "POS_APP_TOKEN"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-app pull", description=__doc__.splitlines()[0])
    parser.add_argument("--server", help="the central server (default: the enrolled one)")
    parser.add_argument("--data-dir", help="the till's data folder (default: $POS_DATA_DIR)")
    parser.add_argument("--token-env", default=TOKEN_ENV, help="variable holding the token")
    parser.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
    add_trust_options(parser)
    return parser


def _print(progress: PullProgress) -> None:
    print(json.dumps({
        "applied": progress.applied, "skipped": progress.skipped,
        "deferred": progress.deferred, "cursor": progress.cursor, "pages": progress.pages,
        "head": progress.head, "done": progress.done,
    }), flush=True)  # fmt: skip


def _credentials(store: Store, args: argparse.Namespace) -> tuple[str, str, ServerTrust]:
    """(server URL, token, transport): the environment's token if set, else the enrolled
    till's; the URL checked (plain http:// only to this machine or with --insecure)."""
    trust = server_trust(store, trust_of(args))
    token = os.environ.get(args.token_env)
    if token:
        if not args.server:
            raise SyncSetupError(f"{args.token_env} is set: pass --server URL with it.")
        return checked_url(args.server, trust), token, trust
    _, token = load_token(store)
    with store.unit_of_work(durable=False) as uow:
        server = args.server or uow.settings.get(SERVER_KEY)
    if not server:
        raise SyncSetupError("No server is known for this till: pass --server URL.")
    return checked_url(str(server), trust), token, trust


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    try:
        store = open_till_store(args.data_dir)
    except StoreError as exc:
        print(f"pos-app pull: {exc}", file=sys.stderr)
        return 1
    try:
        server, token, trust = _credentials(store, args)
        feed_puller(store, server, token, trust=trust, page_size=args.page_size,
                    on_progress=_print).pull()  # fmt: skip
    except (PullError, SyncSetupError) as exc:
        print(f"pos-app pull: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0
