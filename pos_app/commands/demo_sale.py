"""``pos-app demo-sale``: one sale through the real services, printed on a real (or emulated)
ESC/POS printer — the whole path a till takes, for the demo and for installers.

A guest card swipe is parsed by the card-reader code, the guest's group discount applies, the
sale is paid in cash through ``PaymentService.pay_cash`` - the till's cash key - which closes it
(``sale_closing.close_sale``: ``sale.closed``, the promo step, the accrual estimate), and the
receipt, laid out by the till's print layout (``devices.layout``), is sent to the printer over
TCP. The services are the till's own, from the composition root.
"""

from __future__ import annotations

import argparse
import sys

from pos_app.commands.composition import till_services
from pos_app.commands.demo_data import card_number
from pos_app.commands.store_factory import open_till_store
from pos_app.devices.escpos_printer import EscposPrinter, PrinterConfig
from pos_app.devices.layout import EscposLayout
from pos_app.devices.msr import parse_swipe
from pos_app.domain.errors import DomainError
from pos_app.domain.identifiers import InputMethod
from pos_app.domain.money import format_money, rub
from pos_app.services.ports import StoreError
from pos_app.services.venue_name import read_venue_name

BASKET = (("latte", 2), ("croissant", 1), ("pc-hour", 1))


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pos-app demo-sale", description=__doc__)
    p.add_argument("--data-dir", help="the till's data directory (default: $POS_DATA_DIR)")
    p.add_argument("--printer", default="127.0.0.1:9100", help="HOST:PORT of the printer")
    p.add_argument("--guest", type=int, default=1, help="demo guest number whose card is swiped")
    return p


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    host, _, port = args.printer.rpartition(":")
    try:
        store = open_till_store(args.data_dir)
    except StoreError as exc:
        print(f"pos-app demo-sale: {exc}", file=sys.stderr)
        return 1
    try:
        till = till_services(store)
        sale = till.sales.open_sale()
        for product_id, qty in BASKET:
            sale = till.sales.add_line(sale.sale_id, product_id=product_id, quantity=qty)
        swipe = parse_swipe(f";{card_number(args.guest)}=4912?")
        sale = till.sales.identify_guest(
            sale.sale_id, identifier=swipe.identifier, method=InputMethod.MSR
        )
        tendered = sale.total + rub(100) - sale.total % rub(100)  # the next hundred-rouble note
        paid = till.payments.pay_cash(sale.sale_id, tendered=tendered)
    except DomainError as exc:
        print(f"pos-app demo-sale: {exc.message} (run `pos-app demo-data` first?)", file=sys.stderr)
        return 1
    else:
        venue = read_venue_name(store.unit_of_work)
    finally:
        store.close()
    sale = paid.sale
    guest = sale.guest.name if sale.guest else "—"
    print(f"sale {sale.receipt_no}: guest {guest}, total {format_money(sale.total)}, "
          f"discount {format_money(sale.discount)}, change {format_money(paid.change)}")
    printer = EscposPrinter(PrinterConfig(host=host or "127.0.0.1", port=int(port or 9100)))
    result = printer.print_bytes(EscposLayout(printer).sale_receipt(sale, venue_name=venue))
    print(f"printer: {result.message}")
    return 0 if result.ok else 3
