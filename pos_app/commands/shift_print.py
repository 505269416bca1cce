"""X and Z reports on the receipt printer: ``ShiftReport`` (services) -> print document
(devices) -> the print queue. Here because it joins two adapters' worlds (see architecture.md)."""

from __future__ import annotations

from pos_app.commands.printing import ReceiptPrinting
from pos_app.devices.print_document import Align, Cut, Feed, PrintOp, Text
from pos_app.services.shifts import ShiftReport, report_lines


def shift_report_document(report: ShiftReport, columns: int) -> list[PrintOp]:
    """The report's lines at the printer's width, the title centred and bold, then a cut."""
    title, *rest = report_lines(report, columns)
    ops: list[PrintOp] = [Text(title.strip(), Align.CENTER, bold=True)]
    ops += [Text(line) for line in rest]
    return [*ops, Feed(3), Cut()]


def enqueue_shift_report(printing: ReceiptPrinting, report: ShiftReport) -> int:
    """Queue the report (kind ``report``); printing never blocks the caller."""
    document = printing.printer.render(shift_report_document(report, printing.columns))
    return printing.service.enqueue("report", document, title=f"{report.kind}-{report.number}")
