"""The shift from the till window (F9): open it with the drawer counted, cash in / out, the X
report and the blind count that closes it with the Z report (``ui/till/shift.py`` is the
dialog). Every call goes through the op runner; a refusal is said in the dialog while it is
open, else in the window's banner."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from pos_app.ui.till.flow import TillFlow
from pos_app.ui.till.messages import cashier_text

if TYPE_CHECKING:
    from pos_app.ui.till.shift import ShiftDialog


class ShiftFlow(TillFlow):
    dialog: ShiftDialog | None = None

    def show(self) -> None:
        """The shift dialog, with the current shift read first (off the GUI thread)."""
        services = self.ctx.services

        def current() -> Any:
            return services.get().shifts.current()

        self.ctx.runner.run(current, self._dialog, self._failed)

    def _dialog(self, shift: Any) -> None:
        from pos_app.ui.till.shift import ShiftDialog

        dialog = self.dialog = ShiftDialog(shift, self.parent, self.screen.venue_zone)
        run, services = self.ctx.runner, self.ctx.services
        problem = self._failed
        last: list[list[str]] = [[]]

        def shown(lines: list[str]) -> None:
            last[0] = lines
            dialog.show_report(lines)

        def opened(cash: int) -> None:
            run.run(lambda: services.get().shifts.open_shift(self.staff, cash), shift_opened,
                    problem)  # fmt: skip

        def shift_opened(shift: Any) -> None:
            dialog.show_shift(shift)
            dialog.accept()  # the shift is open: back to selling
            self.screen.statusBar().showMessage(
                QCoreApplication.translate("TillWindow", "Shift %1 opened.").replace(
                    "%1", str(shift.number)
                ),
                10_000,
            )

        def moved(kind: str, amount: int, reason: str) -> None:
            def work() -> Any:
                shifts = services.get().shifts
                move = shifts.cash_in if kind == "in" else shifts.cash_out
                return move(self.staff, amount, reason)

            run.run(work, lambda _view: dialog.show_moved(kind, amount), problem)

        def x_report() -> None:
            run.run(lambda: _lines(services.get().shifts.x_report()), shown, problem)

        def printed() -> None:
            run.run(lambda: services.get().reports.print_report(last[0], "Shift report"), None,
                    problem)  # fmt: skip

        dialog.open_requested.connect(opened)
        dialog.x_requested.connect(x_report)
        dialog.close_requested.connect(
            lambda counted, pin, reason: self._close(counted, pin or None, reason, shown)
        )
        dialog.move_requested.connect(moved)
        dialog.print_requested.connect(printed)
        dialog.print_button.setEnabled(True)
        dialog.open()

    def _close(self, counted: int, manager_pin: str | None, reason: str, shown: Any) -> None:
        services, dialog = self.ctx.services, self.dialog
        assert dialog is not None

        def work() -> list[str]:
            return _lines(services.get().shifts.close_shift(self.staff, counted, manager_pin,
                                                            reason))  # fmt: skip

        def closed(lines: list[str]) -> None:
            shown(lines)
            dialog.show_shift(None)

        def refused(error: Exception) -> None:
            if getattr(error, "code", "") == "operations_waiting":
                dialog.ask_manager(cashier_text(error))
            elif getattr(error, "code", "") == "cash_difference":
                dialog.ask_reason(cashier_text(error))
            else:
                self._failed(error)

        self.ctx.runner.run(work, closed, refused)

    def _failed(self, error: Exception) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.show_problem(cashier_text(error))
        else:
            self.show_message(cashier_text(error))


def _lines(report: Any) -> list[str]:
    """The printable lines of a shift report (made on the op worker)."""
    from pos_app.services.shifts import report_lines

    return report_lines(report)
