"""``pos-app till-sim``: a headless till for load and crash tests (issue 5 point 7).

    pos-app till-sim --server URL --data-dir DIR --sales N [--guests-with-points]
                     [--enrol-code CODE] [--token-store keyring|file:PATH] [--seed S]
                     [--ca-cert PEM] [--insecure]

Sales go through the same services the till screen uses, built by the same composition root
(``SyncRuntime.till``, ``commands/composition.py``), no Qt: open, 1-3 catalogue lines, with
``--guests-with-points`` a guest known to have points identified by card or phone and part of
the sale paid with points (online hold, or offline within the allowance), the rest in cash.
``SALE <sale_id>`` is printed and flushed only after the paying unit of work committed
(``synchronous=FULL``), so every printed id is on disk with its operations. Then the worker
delivers the queue and the command exits once it is empty (exit 0); ``--sales 0`` only
delivers. Restarted on the same data folder it goes on delivering what is queued.
``--enrol-code`` enrols a new data folder on its first run.
Exit 1 for a setup problem, 3 when the queue stopped on a fatal error, 4 on ``--timeout``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence

from pos_app.commands.composition import start_sync
from pos_app.commands.demo_data import fill_catalogue
from pos_app.commands.server_options import add_trust_options, trust_of
from pos_app.commands.store_factory import open_till_store, store_path
from pos_app.commands.sync_runtime import (
    SyncRuntime,
    SyncSetupError,
    checked_url,
    enrol_data_dir,
    enrolled_terminal,
)
from pos_app.db import Store
from pos_app.domain.errors import DomainError
from pos_app.domain.identifiers import InputMethod
from pos_app.services.ports import StoreError
from pos_app.sync.enrolment import KEYRING
from pos_app.sync.puller import PullError

Guest = tuple[str, str, InputMethod | None]  # guest id, card value or phone, how it is read


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-app till-sim", description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True,
                        help="the central server, https://host:port (http:// to this machine)")
    parser.add_argument("--data-dir", required=True, help="the simulated till's data folder")
    parser.add_argument("--sales", type=int, default=10, help="sales to make (0: only deliver)")
    parser.add_argument("--guests-with-points", action="store_true",
                        help="identify guests with points and pay part of the sales with them")
    parser.add_argument("--enrol-code", help="one-time code (first run of a new data folder)")
    parser.add_argument("--token-store", default=KEYRING,
                        help="where the token is kept: keyring (default) or file:PATH")
    parser.add_argument("--seed", type=int, help="random seed (sales, guests, amounts)")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="give up delivering after this many seconds")  # fmt: skip
    add_trust_options(parser)
    return parser


def _open(args: argparse.Namespace) -> Store:
    trust = trust_of(args)
    if args.enrol_code and not store_path(args.data_dir).exists():
        return enrol_data_dir(args.data_dir, args.server, args.enrol_code, args.token_store,
                              trust)  # fmt: skip
    store = open_till_store(args.data_dir)
    if args.enrol_code and enrolled_terminal(store) is None:
        store.close()
        return enrol_data_dir(args.data_dir, args.server, args.enrol_code, args.token_store,
                              trust)  # fmt: skip
    return store


def _ensure_catalogue(store: Store) -> list[str]:
    with store.unit_of_work() as uow:
        if not uow.products.all():
            fill_catalogue(uow)
            uow.commit()
        return sorted(p.id for p in uow.products.all() if p.price > 0)


def _guests_with_points(runtime: SyncRuntime) -> list[Guest]:
    """(guest id, identifier or phone, method) of guests whose cached points are positive."""
    try:
        runtime.puller.pull()
    except PullError as exc:
        print(f"till-sim: cannot pull guests now ({exc}); using the cached ones",
              file=sys.stderr)  # fmt: skip
    with runtime.store.engine.connect() as conn:
        ids = [r[0] for r in conn.exec_driver_sql(
            "SELECT guest_id FROM account_snapshots WHERE kind = 'bonus' AND total - held > 0"
            " ORDER BY guest_id LIMIT 200")]  # fmt: skip
    found: list[Guest] = []
    with runtime.store.unit_of_work(durable=False) as uow:
        for guest_id in ids:
            idents = uow.guests.identifiers_of(guest_id)
            guest = uow.guests.get(guest_id)
            if idents:
                found.append((guest_id, idents[0].value, idents[0].method))
            elif guest is not None and guest.phones:
                found.append((guest_id, guest.phones[0], None))
    return found


def _one_sale(runtime: SyncRuntime, rng: random.Random, products: Sequence[str],
              guest: Guest | None) -> str:  # fmt: skip
    """One sale from open to closed; returns its id once the closing commit is on disk."""
    sales = runtime.till.sales
    sale = sales.open_sale()
    for product_id in rng.sample(list(products), k=min(len(products), rng.randint(1, 3))):
        sales.add_line(sale.sale_id, product_id=product_id, quantity=rng.randint(1, 2))
    if guest is not None:
        _pay_points(runtime, rng, sale.sale_id, guest)
    due = sales.get_sale(sale.sale_id).due
    if due > 0:
        result = runtime.till.payments.pay_cash(sale.sale_id, due)
        assert result.closed, "cash for all that is due closes the sale"
    return sale.sale_id


def _pay_points(runtime: SyncRuntime, rng: random.Random, sale_id: str, guest: Guest) -> None:
    _, value, method = guest
    try:
        if method is None:
            runtime.till.sales.identify_guest(sale_id, phone=value)
        else:
            runtime.till.sales.identify_guest(sale_id, identifier=value, method=method)
        allowed = runtime.till.payments.available_for_points(sale_id).max_points
        if allowed <= 0:
            return
        amount = max(1, allowed * rng.randint(20, 100) // 100)
        try:
            runtime.till.points.pay_points(sale_id, amount)
        except DomainError:  # not confirmed online, refused: the next try goes offline
            room = runtime.till.points.offline_room(sale_id)
            if room > 0:
                runtime.till.points.pay_points(sale_id, min(amount, room), offline=True)
    except DomainError as exc:
        print(f"till-sim: no points for sale {sale_id}: {exc}", file=sys.stderr)


def _sell(runtime: SyncRuntime, args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    products = _ensure_catalogue(runtime.store)
    guests = _guests_with_points(runtime) if args.guests_with_points and args.sales else []
    if args.guests_with_points and args.sales and not guests:
        print("till-sim: no guest with points is known; selling without guests",
              file=sys.stderr)  # fmt: skip
    for _ in range(args.sales):
        guest = rng.choice(guests) if guests and rng.random() < 0.7 else None
        sale_id = _one_sale(runtime, rng, products, guest)
        print(f"SALE {sale_id}", flush=True)
        runtime.worker.wake()


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    try:
        checked_url(args.server, trust_of(args))  # the URL given: checked with the flags given
        store = _open(args)
        runtime = start_sync(store, args.data_dir, server_url=args.server,
                             batch_size=args.batch_size, trust=trust_of(args))  # fmt: skip
    except (SyncSetupError, StoreError) as exc:
        print(f"pos-app till-sim: {exc}", file=sys.stderr)
        return 1
    try:
        runtime.worker.start()
        _sell(runtime, args)
        if not runtime.worker.wait_idle(args.timeout):
            fatal = runtime.state.snapshot.fatal
            print(f"pos-app till-sim: {fatal or 'the queue was not delivered in time'}",
                  file=sys.stderr)  # fmt: skip
            return 3 if fatal else 4
        return 0
    finally:
        runtime.close()
