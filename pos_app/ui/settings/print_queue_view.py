"""The print queue as the cashier sees it: what waits and why, retry, reprint, cancel.

Reads and actions go through ``PrintService`` on the ``OpRunner``; the worker's ``on_change``
(delivered to the GUI thread by the composition) or the Refresh button reloads the list.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import DomainError
from pos_app.services.ports import StoreError
from pos_app.services.printing import PrintJobView, PrintQueueState, PrintService
from pos_app.ui.op_runner import OpRunner

COLUMNS = 5


class PrintQueueView(QWidget):
    def __init__(
        self, service: PrintService, runner: OpRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service, self.runner = service, runner
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [self.tr("No."), self.tr("Document"), self.tr("State"), self.tr("Tries"),
             self.tr("Printer said")]
        )  # fmt: skip
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.retry_button = QPushButton(self.tr("Try again now"))
        self.reprint_button = QPushButton(self.tr("Reprint"))
        self.cancel_button = QPushButton(self.tr("Do not print"))
        self.jobs: list[PrintJobView] = []
        buttons = QHBoxLayout()
        for button in (self.refresh_button, self.retry_button, self.reprint_button,
                       self.cancel_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.refresh_button.clicked.connect(self.refresh)
        self.retry_button.clicked.connect(lambda: self._act(self.service.retry_now))
        self.reprint_button.clicked.connect(self._reprint)
        self.cancel_button.clicked.connect(self._cancel)
        self.refresh()

    def refresh(self) -> None:
        def load() -> tuple[PrintQueueState, list[PrintJobView]]:
            return self.service.state(), self.service.recent_jobs(50)

        self.runner.run(load, self._show, self._failed)

    def _show(self, loaded: tuple[PrintQueueState, list[PrintJobView]]) -> None:
        state, self.jobs = loaded
        if state.pending == 0:
            self.summary.setText(self.tr("Everything is printed."))
        elif state.waiting:
            self.summary.setText(
                self.tr("%1 waiting to print. %2").replace("%1", str(state.pending))
                .replace("%2", self.printer_said(state.last_error or ""))
            )  # fmt: skip
        else:
            self.summary.setText(self.tr("%1 printing.").replace("%1", str(state.pending)))
        self.table.setRowCount(len(self.jobs))
        for row, job in enumerate(self.jobs):
            document = f"{self._kind(job.kind)} {job.title}".strip()
            cells = (str(job.id), document, self._status(job.status), str(job.attempts),
                     self.printer_said(job.last_error or ""))  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _kind(self, kind: str) -> str:
        names = {"receipt": self.tr("Receipt"), "test": self.tr("Test page"),
                 "report": self.tr("Report")}  # fmt: skip
        return names.get(kind, kind)

    def printer_said(self, message: str) -> str:
        """The printer adapter's fixed English sentences in the cashier's language; a detail
        in brackets after the sentence (an OS error) stays as it is."""
        sentence, bracket, detail = message.partition(" (")
        known = {
            "Printed.": self.tr("Printed."),
            "Printed. Paper is running low.": self.tr("Printed. Paper is running low."),
            "The printer is out of paper. Load paper; the receipt is kept.": self.tr(
                "The printer is out of paper. Load paper; the receipt is kept."),
            "The printer cover is open. Close it; the receipt is kept.": self.tr(
                "The printer cover is open. Close it; the receipt is kept."),
            "The printer is offline. The receipt is kept for printing.": self.tr(
                "The printer is offline. The receipt is kept for printing."),
            "The printer reports an error. Check it; the receipt is kept.": self.tr(
                "The printer reports an error. Check it; the receipt is kept."),
            "The printer cannot be reached. The receipt is kept.": self.tr(
                "The printer cannot be reached. The receipt is kept."),
            "Sent to the printer.": self.tr("Sent to the printer."),
            "This printer type is not available on this till.": self.tr(
                "This printer type is not available on this till."),
        }  # fmt: skip
        return known.get(sentence, sentence) + bracket + detail

    def _status(self, status: str) -> str:
        names = {"queued": self.tr("in the queue"), "printing": self.tr("printing"),
                 "done": self.tr("printed"), "waiting": self.tr("waiting for the printer"),
                 "cancelled": self.tr("not printed (cancelled)")}  # fmt: skip
        return names.get(status, status)

    def selected_job(self) -> PrintJobView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.jobs[rows[0].row()] if rows else None

    def _reprint(self) -> None:
        job = self.selected_job()
        if job is not None:
            self._act(lambda: self.service.reprint(job.id))

    def _cancel(self) -> None:
        job = self.selected_job()
        if job is not None:
            self._act(lambda: self.service.cancel(job.id))

    def _act(self, action: object) -> None:
        assert callable(action)
        self.runner.run(action, lambda _result: self.refresh(), self._failed)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, DomainError) and exc.code == "print_job_pending":
            self.summary.setText(self.tr("This document is still in the queue; it will print."))
        elif isinstance(exc, DomainError | StoreError):
            self.summary.setText(str(exc))
        else:
            raise exc
