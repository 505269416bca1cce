"""``pos-app demo-publish [--data-dir DIR]``: tell the server about the demo till's guests.

``pos-app demo-data`` puts 20 demo guests with their cards and app codes into the till's own
store only, so a demo sale naming one of them would be refused by the server
(``rejected/unknown_guest``). Once the demo till is enrolled, this queues a ``guest.created``
and the ``identifier.bound`` operations of every demo guest in one durable unit of work (once:
the setting ``demo.published`` remembers it), and the till's sync worker delivers them before
any later sale, in ``seq`` order. Their points, balances and groups stay the till's demo
figures: the server starts them from zero.
"""

from __future__ import annotations

import argparse
import sys

from pos_app.commands.demo_data import card_number
from pos_app.commands.demo_data_catalog import GUESTS
from pos_app.commands.store_factory import DATA_DIR_ENV, open_till_store
from pos_app.commands.sync_runtime import enrolled_terminal
from pos_app.db import StoreError
from pos_app.domain.identifiers import InputMethod, Medium
from pos_app.domain.operations import GuestCreated, IdentifierBound

PUBLISHED_KEY = "demo.published"


def main(argv: list[str]) -> int:
    summary = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="pos-app demo-publish", description=summary)
    parser.add_argument("--data-dir", help=f"the demo till's data (default: ${DATA_DIR_ENV})")
    args = parser.parse_args(argv)
    try:
        store = open_till_store(args.data_dir)
    except StoreError as exc:
        print(f"pos-app demo-publish: {exc}", file=sys.stderr)
        return 1
    with store:
        if enrolled_terminal(store) is None:
            print("pos-app demo-publish: the till is not enrolled; nothing queued.",
                  file=sys.stderr)  # fmt: skip
            return 2
        with store.unit_of_work() as uow:
            if uow.settings.get(PUBLISHED_KEY):
                print("demo guests were queued for the server before")
                return 0
            for index, (guest_id, name, phone, *_rest) in enumerate(GUESTS, start=1):
                uow.outbox.append(GuestCreated(guest_id=guest_id, name=name, phone=phone))
                for medium, method, value in (
                    (Medium.CARD, InputMethod.MSR, card_number(index)),
                    (Medium.GUEST_APP, InputMethod.BARCODE, f"QR-{guest_id.upper()}"),
                ):
                    uow.outbox.append(IdentifierBound(guest_id=guest_id, medium=medium,
                                                      method=method, value=value))
            uow.settings.set(PUBLISHED_KEY, True)
            uow.commit()
    print(f"{len(GUESTS)} demo guests and their cards queued for the server")
    return 0
