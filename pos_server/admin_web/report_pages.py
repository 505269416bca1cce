"""The money views and reports (issue 18 point 8) under ``/admin/reports``, with the reports
permission: each view is one or more tables over a period of the venue's business days
(``?from=YYYY-MM-DD&to=YYYY-MM-DD``, both included; by default the last 7 days), shown as a
page and downloadable one table at a time as CSV (``/admin/reports/VIEW/TABLE.csv`` with the
same query). The figures come from ``pos_server.reports.service``; this module only lays
them out.

CSV: comma-separated with every field quoted as needed (RFC 4180, ``csv.QUOTE_MINIMAL``),
UTF-8 with a byte-order mark so Excel opens Cyrillic; amounts in roubles with a point and two
decimals (``1234.50``: exact, and what a spreadsheet reads as a number), times as ISO 8601
UTC, headers in the page's language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from pos_app.domain.money import format_money
from pos_app.domain.venue_clock import business_day
from pos_server.admin_web.context import (
    PREFIX,
    Reader,
    Refused,
    acting,
    form_of,
    now_of,
    render,
    require,
)
from pos_server.reports import service
from pos_server.reports.service import METHODS, BadPeriod, Period, SalesBy, SalesLine
from pos_server.repositories.reconciliation import UnknownItem
from pos_server.staff.permissions import Permission
from pos_server.uow import UnitOfWork

router = APIRouter(prefix=f"{PREFIX}/reports", include_in_schema=False)
Page = Annotated[Reader, Depends(require(Permission.REPORTS))]
Posted = Annotated[tuple[Reader, FormData], Depends(form_of(Permission.REPORTS))]
DEFAULT_DAYS = 7
TEXT, MONEY, COUNT, AT = "text", "money", "count", "at"
ACTION = "action"  # a button on the page (the value: what it acts on, None: no button), not in CSV


def _(message: str) -> str:
    """Marks a message for extraction; translated where it is shown."""
    return message


@dataclass(frozen=True)
class Table:
    slug: str
    title: str  # a message id
    columns: list[tuple[str, str]]  # (header message id, kind)
    rows: list[list[Any]]
    empty: str = _("Nothing in this period.")


@dataclass(frozen=True)
class View:
    title: str
    note: str
    build: Callable[[UnitOfWork, Period, Request], list[Table]]


def _money_issues(uow: UnitOfWork, period: Period, request: Request) -> list[Table]:
    found = service.money_issues(uow, period)
    overdrafts = Table("overdrafts", _("Overdrafts"), [
        (_("When (UTC)"), AT), (_("Account"), TEXT), (_("Guest"), TEXT), (_("Amount"), MONEY),
        (_("Reason"), TEXT), (_("Reference"), TEXT), (_("Beyond the offline allowance"), TEXT),
    ], [[o.at, o.account, o.guest_id, o.amount, o.reason, o.ref or "",
         _("yes") if o.beyond_offline_allowance else ""] for o in found.overdrafts])  # fmt: skip
    breaches = Table("breaches", _("Rule breaches"), [
        (_("When (UTC)"), AT), (_("Rule"), TEXT), (_("Guest"), TEXT), (_("Amount"), MONEY),
        (_("Terminal"), TEXT), (_("Reference"), TEXT), (_("Message"), TEXT),
    ], [[b.at, b.rule, b.guest_id or "", b.amount, b.terminal_id or "", b.ref or "",
         b.message] for b in found.breaches])  # fmt: skip
    return [overdrafts, breaches]


def _reconciliation(uow: UnitOfWork, period: Period, request: Request) -> list[Table]:
    everything = request.query_params.get("resolved") == "1"
    items = service.reconciliation(uow, period, include_resolved=everything)
    return [Table("items", _("Reconciliation items"), [
        (_("When (UTC)"), AT), (_("Item"), COUNT), (_("Kind"), TEXT), (_("Sale"), TEXT),
        (_("Terminal"), TEXT), (_("Difference (till - server)"), MONEY), (_("Message"), TEXT),
        (_("Resolved (UTC)"), AT), (_("Resolved by"), TEXT), (_("Resolve"), ACTION),
    ], [[i.at, i.id, i.kind, i.sale_id, i.terminal_id, i.amount, i.message, i.resolved_at,
         i.resolved_by or "", None if i.resolved_at else i.id] for i in items])]  # fmt: skip


SALES_KEYS = {SalesBy.DAY: _("Day"), SalesBy.SHIFT: _("Shift"),
              SalesBy.TERMINAL: _("Terminal"), SalesBy.STAFF: _("Cashier")}  # fmt: skip
METHOD_NAMES = {"cash": _("Cash"), "card": _("Card"), "balance": _("Deposit"),
                "points": _("Points")}  # fmt: skip


def _sales_by(request: Request) -> SalesBy:
    try:
        return SalesBy(request.query_params.get("by", SalesBy.DAY.value))
    except ValueError:
        return SalesBy.DAY


def _sales(uow: UnitOfWork, period: Period, request: Request) -> list[Table]:
    by = _sales_by(request)
    report = service.sales(uow, period, by)
    columns = [(SALES_KEYS[by], TEXT), (_("Sales"), COUNT), (_("Amount"), MONEY)]
    columns += [(METHOD_NAMES[m], MONEY) for m in METHODS]
    columns += [(_("Refunds"), COUNT), (_("Refunded"), MONEY), (_("Net"), MONEY)]

    def row(line: SalesLine, label: str) -> list[Any]:
        return [
            label,
            line.sales,
            line.total,
            *(line.paid.get(m, 0) for m in METHODS),
            line.refunds,
            line.refunds_total,
            line.net,
        ]

    rows = [row(line, line.label or _("Outside a shift")) for line in report.lines]
    if report.lines:
        rows.append(row(report.totals, _("Total")))
    return [Table(f"by-{by.value}", _("Sales"), columns, rows)]


def _deposits(uow: UnitOfWork, period: Period, request: Request) -> list[Table]:
    report = service.deposits(uow, period)

    def row(d: service.DepositDay, label: str) -> list[Any]:
        return [label, d.top_ups, d.topped_up, d.other_credits, d.debited, d.debts, d.change]

    days = [row(d, d.day.isoformat()) for d in report.days]
    if report.days:
        days.append(row(report.totals, _("Total")))
    return [
        Table("days", _("Deposits by day"), [
            (_("Day"), TEXT), (_("Top-ups"), COUNT), (_("Topped up"), MONEY),
            (_("Other credits"), MONEY), (_("Debited"), MONEY), (_("Debts"), MONEY),
            (_("Change"), MONEY)], days),
        Table("shifts", _("Deposits in shifts' Z reports"), [
            (_("Shift"), TEXT), (_("Closed (UTC)"), AT), (_("Deposits taken"), MONEY),
            (_("Deposits given back"), MONEY)],
            [[f"{s.terminal} #{s.number}", s.closed_at, s.taken, s.given_back]
             for s in report.shifts]),
    ]  # fmt: skip


def _liability(uow: UnitOfWork, period: Period, request: Request) -> list[Table]:
    tables = []
    for found in service.liability(uow, period):
        points = found.kind == "points"
        amount = COUNT if points else MONEY
        tables.append(Table(
            found.kind, _("Points outstanding") if points else _("Deposit balances"), [
                (_("At the start"), amount), (_("At the end"), amount), (_("Change"), amount),
                (_("Held"), amount), (_("Overdrawn"), amount), (_("Accounts"), COUNT),
                (_("Now"), amount)],
            [[found.start.total, found.end.total, found.change, found.end.held,
              found.end.negative, found.end.accounts, found.now.total]]))  # fmt: skip
    return tables


def _top_guests(uow: UnitOfWork, period: Period, request: Request) -> list[Table]:
    try:
        limit = int(request.query_params.get("limit", "50"))
    except ValueError:
        limit = 50
    found = service.top_guests(uow, period, limit)
    return [Table("guests", _("Top guests"), [
        (_("Guest"), TEXT), (_("Name"), TEXT), (_("Phone"), TEXT), (_("Sales"), COUNT),
        (_("Spent"), MONEY)],
        [[g.guest_id, g.name, g.phone or "", g.sales, g.total] for g in found])]  # fmt: skip


VIEWS: dict[str, View] = {
    "money": View(
        _("Overdrafts and rule breaches"),
        _(
            "Accounts that went below zero (offline holds, late commits, offline deposit "
            "payments) and the rules the server recorded instead of enforcing."
        ),
        _money_issues,
    ),
    "reconciliation": View(
        _("Reconciliation"),
        _(
            "Differences between a sale as the till priced it and the server's recomputation. "
            "Resolve with pos-server reconciliation resolve."
        ),
        _reconciliation,
    ),
    "sales": View(
        _("Sales"),
        _(
            "Sales by the venue's business day, shift, terminal or cashier (the shift's), with "
            "refunds made in the period."
        ),
        _sales,
    ),
    "deposits": View(
        _("Deposits"),
        _(
            "Guests' deposits topped up, spent and given back by business day, and what each "
            "shift closed in the period took and gave back (its Z report)."
        ),
        _deposits,
    ),
    "liability": View(
        _("Points liability"),
        _(
            "Points outstanding (in points) and deposits held: what the venue owes its guests "
            "at the start and the end of the period, and now."
        ),
        _liability,
    ),
    "top-guests": View(
        _("Top guests"),
        _("The guests who spent most on the period's sales (refunds not deducted)."),
        _top_guests,
    ),
}


def _period(request: Request, who: Reader, zone: tzinfo) -> Period:
    today = business_day(now_of(request), zone)
    try:
        last = _date(request.query_params.get("to"), today)
        first = _date(request.query_params.get("from"), last - timedelta(days=DEFAULT_DAYS - 1))
        return Period.of(first, last, zone)
    except (ValueError, BadPeriod) as exc:
        message = str(exc) if isinstance(exc, BadPeriod) else _("Dates are written YYYY-MM-DD.")
        raise Refused(400, who.gettext("Not accepted"), who.gettext(message)) from exc


def _date(text: str | None, default: date) -> date:
    return date.fromisoformat(text) if text else default


def _view(name: str, who: Reader) -> View:
    view = VIEWS.get(name)
    if view is None:
        raise Refused(404, who.gettext("Not found"), who.gettext("There is no such report."))
    return view


@router.get("")
def index(request: Request, who: Page) -> Response:
    response: Response = render(request, who, "admin/reports.html", views=VIEWS)
    return response


@router.get("/{name}")
def report(name: str, request: Request, who: Page) -> Response:
    view = _view(name, who)
    with acting(request, who) as uow:
        period = _period(request, who, service.venue_zone(uow))
        tables = view.build(uow, period, request)
    shown = [(t, [[(kind, _cell(who, kind, value)) for (_h, kind), value in zip(t.columns, row,
                                                                         strict=True)]
                  for row in t.rows]) for t in tables]  # fmt: skip
    query = request.url.query
    response: Response = render(request, who, "admin/report.html", name=name, view=view,
                                tables=shown, period=period, query=query,
                                sales_by=_sales_by(request) if name == "sales" else None,
                                sales_keys=SALES_KEYS,
                                resolved=request.query_params.get("resolved") == "1")  # fmt: skip
    return response


@router.get("/{name}/{slug}.csv")
def report_csv(name: str, slug: str, request: Request, who: Page) -> Response:
    view = _view(name, who)
    with acting(request, who) as uow:
        period = _period(request, who, service.venue_zone(uow))
        tables = {t.slug: t for t in view.build(uow, period, request)}
    table = tables.get(slug)
    if table is None:
        raise Refused(404, who.gettext("Not found"), who.gettext("There is no such report."))
    filename = f"{name}-{slug}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    return Response(
        csv_bytes(who, table),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/reconciliation/{item_id}/resolve")
def resolve(item_id: int, request: Request, posted: Posted) -> Response:
    """Close an open reconciliation item (audited), then back to the list as it was."""
    who, form = posted
    try:
        with acting(request, who) as uow:
            service.resolve_reconciliation(uow, item_id)
    except UnknownItem as exc:
        raise Refused(404, who.gettext("Not found"), who.gettext(
            "This item is not open (already resolved, or there is no such item)."
        )) from exc  # fmt: skip
    back = form.get("back")
    target = f"{PREFIX}/reports/reconciliation"
    if isinstance(back, str) and back and "\n" not in back and "\r" not in back:
        target += "?" + back.lstrip("?")
    return RedirectResponse(target, 303)


def csv_bytes(who: Reader, table: Table) -> bytes:
    """The table as CSV: UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([who.gettext(header) for header, kind in table.columns if kind != ACTION])
    for row in table.rows:
        writer.writerow([_csv_cell(who, kind, value) for (_h, kind), value in zip(
            table.columns, row, strict=True) if kind != ACTION])  # fmt: skip
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _csv_cell(who: Reader, kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == MONEY:
        sign = "-" if value < 0 else ""
        roubles, kopecks = divmod(abs(int(value)), 100)
        return f"{sign}{roubles}.{kopecks:02d}"
    if kind == AT:
        return str(value.isoformat())
    if kind == TEXT and isinstance(value, str):
        return who.gettext(value) if value in TRANSLATED else value
    return str(value)


def _cell(who: Reader, kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == MONEY:
        return format_money(int(value), "")
    if kind == AT:
        return str(value.strftime("%Y-%m-%d %H:%M:%S"))
    if kind == TEXT and isinstance(value, str) and value in TRANSLATED:
        return who.gettext(value)
    return str(value)


# The service's refusals of a period, for the extraction (shown translated).
PERIOD_MESSAGES = (_("The period ends before it starts."), _("A period is at most 366 days."))
# Texts of cells that are messages, not data (the rest is shown as stored).
TRANSLATED = frozenset({_("yes"), _("Outside a shift"), _("Total")})
