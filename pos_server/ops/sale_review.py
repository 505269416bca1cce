"""The server's recomputation of every closed sale (DESIGN.md: one pricing engine on till and
server; "the server recomputes each offline sale and flags a difference for a manager").

``sale.closed`` carries what the till priced with: each line's catalogue price (``list_price``;
a unit price that differs was set by hand), the guest's group as the till saw it, the order
discount (a promo code's or a manager's) and the till's change-feed position
(``catalogue_version``). ``review_sale`` prices the lines again with ``pos_app.domain.pricing``
and compares, three ways:

- ``totals_mismatch``: the till's own figures do not follow from its own inputs (its unit
  prices, its group, its order discount): a tampered or broken till. ``amount`` is the till's
  total minus the recomputed one. (Payments that do not add up to the sale's own total are
  not a difference of pricing but a record that contradicts itself - which money was taken?
  - and stay a refusal, ``rejected/totals_mismatch``, as do two lines with one number.)
- ``price_differs``: a line's catalogue price is not the server's price of that product at the
  till's catalogue version (without a version: at the moment of the sale);
  ``unknown_product``: the server's catalogue had no such product then. ``stale_price``: the
  till's price was right for its catalogue version, but the server's catalogue had changed by
  the moment of the sale (the till had not pulled yet). For these ``amount`` is the till's list
  price minus the server's, times the quantity (before discounts).
- ``group_differs``: by the server's record the guest was in another group at the moment of the
  sale (or the group's discount was another); ``amount`` is the till's total minus the total
  the server's group gives.

A difference never refuses the sale: the till already took the money. Each one is a row of
``reconciliation_items``, written in the operation's transaction (``uow.reconciliation``,
``pos_server/repositories/reconciliation.py``), that a manager reads with
``pos-server reconciliation list`` (JSON lines) and closes with ``... resolve``. The checks
of the catalogue run only once the server has a catalogue (as guest orders are checked).

History comes from the change feed, which keeps every change: a product's price at version V
is its newest ``product`` change with id <= V; the guest's group at the moment of the sale is
their newest ``guest`` change made by then (the index ``ix_changes_entity_record``). A group's
definition is taken as it is now. A row stored by a till before these fields were sent (no
``list_price``) is checked for its arithmetic only, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pos_app.domain.catalog import DiscountScope, Product
from pos_app.domain.errors import DomainError
from pos_app.domain.groups import GuestGroup
from pos_app.domain.money import Percent, format_money
from pos_app.domain.operations import SaleClosed, SaleGroup
from pos_app.domain.pricing import GroupSnapshot, price_lines, totals_of
from pos_app.domain.pricing import SaleLine as PricedLine

if TYPE_CHECKING:
    from pos_server.repositories.catalogue import CatalogueHistory
    from pos_server.repositories.guests import Guests
    from pos_server.uow import UnitOfWork

TOTALS_MISMATCH = "totals_mismatch"
PRICE_DIFFERS = "price_differs"
STALE_PRICE = "stale_price"
UNKNOWN_PRODUCT = "unknown_product"
GROUP_DIFFERS = "group_differs"


@dataclass(frozen=True)
class Finding:
    """One difference between the till's sale and the server's recomputation."""

    kind: str
    amount: int  # kopecks: the till's figure minus the server's
    message: str
    details: dict[str, Any] = field(default_factory=dict)


def review_sale(
    uow: UnitOfWork, sale: SaleClosed, *, current_group: str | None,
    groups: dict[str, GuestGroup],
) -> list[Finding]:
    """Every difference the server finds in ``sale`` (the caller stores them:
    ``uow.reconciliation.add``). ``current_group``: the guest's group as the server has it now
    (used when the feed has no record of them at the moment of the sale); ``groups``: the
    groups by id as they are now."""
    findings = _own_arithmetic(sale)
    if sale.lines and sale.lines[0].list_price is not None:  # a till that sends what it used
        if uow.catalogue.has_products():
            findings += _catalogue(uow.catalogue, sale)
        if sale.guest_id is not None:
            findings += _group(uow.guests, sale, current_group, groups)
    return findings


# --- the till's own figures ----------------------------------------------------------------


def _own_arithmetic(sale: SaleClosed) -> list[Finding]:
    problems: list[dict[str, Any]] = []
    recomputed = _simple_total(sale, problems)
    if sale.lines[0].list_price is not None:  # the till sent its inputs: price them again
        try:
            priced = price_lines(_lines(sale), _snapshot(sale.group), _order_percent(sale))
        except DomainError as error:
            problems.append({"problem": error.code, "message": error.message})
        else:
            recomputed = totals_of(priced).total
            for mine, theirs in zip(priced, sale.lines, strict=True):
                if (mine.discount, mine.total) != (theirs.discount, theirs.total):
                    problems.append({"line_no": theirs.line_no,
                                     "till": {"discount": theirs.discount, "total": theirs.total},
                                     "server": {"discount": mine.discount, "total": mine.total}})
    if recomputed != sale.total:
        problems.append({"problem": "total", "till": sale.total, "server": recomputed})
    if not problems:
        return []
    return [Finding(TOTALS_MISMATCH, sale.total - recomputed,
                    f"The till's figures do not follow from its own lines: total "
                    f"{format_money(sale.total)}, recomputed {format_money(recomputed)}.",
                    {"problems": problems})]  # fmt: skip


def _simple_total(sale: SaleClosed, problems: list[dict[str, Any]]) -> int:
    """quantity x price - discount per line, summed (what a legacy row is checked by)."""
    total = 0
    for line in sale.lines:
        line_total = line.quantity * line.unit_price - line.discount
        if line_total != line.total or line.subtotal != line.quantity * line.unit_price:
            problems.append({"line_no": line.line_no, "till": {"total": line.total},
                             "server": {"total": line_total}})  # fmt: skip
        total += line_total
    return total


def _lines(sale: SaleClosed, prices: dict[int, int] | None = None) -> list[PricedLine]:
    """The sale's lines for the domain's pricing, at the till's unit prices (or ``prices``)."""
    out = []
    for line in sale.lines:
        list_price = line.list_price if line.list_price is not None else line.unit_price
        product = Product(line.product_id, line.name, list_price, line.product_group_id,
                          frozenset(line.tags))  # fmt: skip
        price = line.unit_price if prices is None else prices.get(line.line_no, line.unit_price)
        out.append(PricedLine(line.line_no, product, line.quantity, price))
    return out


def _snapshot(group: SaleGroup | None) -> GroupSnapshot | None:
    if group is None:
        return None
    scope = DiscountScope(frozenset(group.scope.product_group_ids),
                          frozenset(group.scope.product_ids), frozenset(group.scope.tags))
    return GroupSnapshot(group.group_id, group.name, Percent(group.discount_bp), scope)


def _order_percent(sale: SaleClosed) -> Percent | None:
    return None if sale.order_discount is None else Percent(sale.order_discount.percent_bp)


# --- the catalogue the till priced with ----------------------------------------------------


def _catalogue(catalogue: CatalogueHistory, sale: SaleClosed) -> list[Finding]:
    findings: list[Finding] = []
    version = sale.catalogue_version
    for line in sale.lines:
        till_price = line.list_price if line.list_price is not None else line.unit_price
        at_sale = catalogue.price_at(line.product_id, sale.closed_at)
        at_version = at_sale if not version else catalogue.price_at_version(line.product_id,
                                                                            version)  # fmt: skip
        where = {"line_no": line.line_no, "product_id": line.product_id, "till": till_price,
                 "catalogue_version": version}  # fmt: skip
        if at_version is None:
            findings.append(Finding(UNKNOWN_PRODUCT, 0, f"Line {line.line_no}: the server's "
                                    f"catalogue had no product {line.product_id!r} then.",
                                    where))  # fmt: skip
        elif till_price != at_version:
            findings.append(Finding(
                PRICE_DIFFERS, (till_price - at_version) * line.quantity,
                f"Line {line.line_no} ({line.name}): the till's price "
                f"{format_money(till_price)} is not the catalogue's {format_money(at_version)}.",
                {**where, "server": at_version}))  # fmt: skip
        elif at_sale is not None and at_sale != at_version:
            findings.append(Finding(
                STALE_PRICE, (till_price - at_sale) * line.quantity,
                f"Line {line.line_no} ({line.name}): sold at {format_money(till_price)}, the "
                f"till's catalogue; the price was {format_money(at_sale)} by then.",
                {**where, "server": at_sale}))  # fmt: skip
    return findings


# --- the guest's group at the moment of the sale -------------------------------------------


def _group(
    guests: Guests, sale: SaleClosed, current_group: str | None, groups: dict[str, GuestGroup],
) -> list[Finding]:  # fmt: skip
    assert sale.guest_id is not None
    server_id = guests.group_at(sale.guest_id, sale.closed_at, otherwise=current_group)
    server = groups.get(server_id) if server_id else None
    till = sale.group
    till_key = None if till is None else (till.group_id, till.discount_bp)
    server_key = None if server is None else (server.id, server.discount.bp)
    if till_key == server_key:
        return []
    priced = price_lines(_lines(sale), GroupSnapshot.of(server) if server else None,
                         _order_percent(sale))  # fmt: skip
    expected = totals_of(priced).total
    return [Finding(
        GROUP_DIFFERS, sale.total - expected,
        f"The till priced the sale at the group {_group_name(till)}; by the server's record "
        f"the guest was in {_group_name(server)}, which gives {format_money(expected)} "
        f"instead of {format_money(sale.total)}.",
        {"till": None if till is None else {"group_id": till.group_id,
                                            "discount_bp": till.discount_bp},
         "server": None if server is None else {"group_id": server.id,
                                                "discount_bp": server.discount.bp},
         "server_total": expected},
    )]  # fmt: skip


def _group_name(group: SaleGroup | GuestGroup | None) -> str:
    if group is None:
        return "none"
    if isinstance(group, SaleGroup):
        return f"{group.name!r} ({group.discount_bp / 100:g} %)"
    return f"{group.name!r} ({group.discount.bp / 100:g} %)"
