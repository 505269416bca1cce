"""``pos-app pull --server URL [--data-dir DIR]``: bring the till's store up to the server's feed.

Prints one JSON line of progress per page (``{"applied", "skipped", "deferred", "cursor",
"pages", "head", "done"}``) and exits 0 once the feed is empty; killed half-way, the next run
resumes after the last page it committed. The terminal's bearer token is read from the
environment variable named by ``--token-env`` (default ``POS_APP_TOKEN``): the operator (or a
test) chose to put it there; the keyring-backed token store belongs to the sync worker.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from pos_app.commands.store_factory import open_till_store
from pos_app.db.uow import SystemClock
from pos_app.services.feed import FeedService
from pos_app.services.ports import StoreError
from pos_app.sync.puller import DEFAULT_PAGE_SIZE, FeedPuller, PullError, PullProgress

TOKEN_ENV = "POS_APP_TOKEN"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-app pull", description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="the central server, http://host:port")
    parser.add_argument("--data-dir", help="the till's data folder (default: $POS_DATA_DIR)")
    parser.add_argument("--token-env", default=TOKEN_ENV, help="variable holding the token")
    parser.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
    return parser


def _print(progress: PullProgress) -> None:
    print(json.dumps({
        "applied": progress.applied, "skipped": progress.skipped,
        "deferred": progress.deferred, "cursor": progress.cursor, "pages": progress.pages,
        "head": progress.head, "done": progress.done,
    }), flush=True)  # fmt: skip


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    token = os.environ.get(args.token_env)
    if not token:
        print(f"pos-app pull: no token: set {args.token_env} to the terminal's token.",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        store = open_till_store(args.data_dir)
    except StoreError as exc:
        print(f"pos-app pull: {exc}", file=sys.stderr)
        return 1
    try:
        feed = FeedService(store.unit_of_work, SystemClock())
        puller = FeedPuller(args.server, token, feed, page_size=args.page_size,
                            on_progress=_print)  # fmt: skip
        puller.pull()
    except PullError as exc:
        print(f"pos-app pull: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0
