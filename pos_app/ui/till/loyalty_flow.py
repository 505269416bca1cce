"""The guest's loyalty actions that need a manager: one order's bonus settings, a reset of the
guest's open points holds.

Shift+F7 opens the order's bonus settings (``bonus_dialog.py``): tried as the signed-in person,
a manager's PIN asked if their role lacks ``bonus_settings`` (``ManagerFlow.guarded``, the
PIN checked on the op worker in the same op as the change). The payment screen's points cap and
the accrual then follow (``services/bonus_override.py``).

Shift+F4 releases the identified guest's open holds on the server (``services/hold_reset.py``):
a reason, then a manager's PIN (the server wants it too, so it is asked even of a manager), the
call on the op worker; the result - how many were released - or why nothing was (offline, the
server refused) is said in the banner, and the guest panel shows the points pulled afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from pos_app.ui.till.flow import Screen, TillFlow
from pos_app.ui.till.format import percent_of_bp

if TYPE_CHECKING:
    from pos_app.domain.loyalty import LoyaltyOverride
    from pos_app.services.bonus_override import BonusOverrideService, BonusSettingsView
    from pos_app.services.hold_reset import HoldsReset
    from pos_app.services.staff import Authorization
    from pos_app.ui.main_window import TillContext
    from pos_app.ui.till.bonus_dialog import BonusSettingsDialog
    from pos_app.ui.till.controller import TillController
    from pos_app.ui.till.manager_flow import ManagerFlow
    from pos_app.ui.till.ports import ServiceHolder

translate = QCoreApplication.translate


class LoyaltyFlow(TillFlow):
    """The loyalty actions (the window binds their keys); the manager's part is
    ``ManagerFlow``'s."""

    dialog: BonusSettingsDialog | None = None

    def __init__(
        self, ctx: TillContext, controller: TillController, screen: Screen, manager: ManagerFlow
    ) -> None:
        super().__init__(ctx, controller, screen)
        self.manager = manager

    # --- bonus settings of one order ------------------------------------------------------

    def ask_bonus_settings(self) -> None:
        if not self.manager.need_sale():
            return
        assert self.controller.sale is not None
        sale_id, services = self.controller.sale.sale_id, self.ctx.services

        def current() -> BonusSettingsView:
            return _bonus(services).current(sale_id)

        self.ctx.runner.run(current, lambda view: self._bonus_dialog(sale_id, view),
                            self.controller.fail)  # fmt: skip

    def _bonus_dialog(self, sale_id: str, view: BonusSettingsView) -> None:
        from pos_app.ui.till.bonus_dialog import BonusSettingsDialog

        dialog = self.dialog = BonusSettingsDialog(view, self.parent)
        dialog.chosen.connect(lambda override: self._set_bonus(sale_id, override))
        dialog.open()

    def _set_bonus(self, sale_id: str, override: LoyaltyOverride) -> None:
        from pos_app.services.staff import Action
        services = self.ctx.services

        def attempt(approval: Authorization | None) -> BonusSettingsView:
            return _bonus(services).set(sale_id, override, self.staff, approval)

        self.manager.guarded(Action.BONUS_SETTINGS, attempt, self._bonus_set)

    def _bonus_set(self, view: BonusSettingsView) -> None:
        text = translate(
            "LoyaltyActions", "This order: points accrued %1, at most %2 paid with points."
        )
        if not view.overridden:
            text = translate(
                "LoyaltyActions",
                "Back to the usual: points accrued %1, at most %2 paid with points.",
            )
        self.show_message(text.replace("%1", percent_of_bp(view.accrual_bp))
                          .replace("%2", percent_of_bp(view.max_redemption_bp)), "info")

    # --- reset a guest's holds --------------------------------------------------------------

    def ask_reset_holds(self) -> None:
        guest = self.controller.guest
        if guest is None:
            self.show_message(translate("LoyaltyActions", "Identify the guest first."))
            return
        label = translate(
            "LoyaltyActions", "Release every open points hold of %1 on the server. Why?"
        ).replace("%1", guest.name)
        self.manager.ask(translate("LoyaltyActions", "Reset holds"), label,
                  lambda reason: self._reset_pin(guest.guest_id, guest.name, reason))  # fmt: skip

    def _reset_pin(self, guest_id: str, name: str, reason: str) -> None:
        self.manager.ask_pin(
            translate("LoyaltyActions", "Manager's approval"),
            translate("LoyaltyActions", "A manager's PIN releases the holds of %1:").replace(
                "%1", name),
            lambda pin: self._reset(guest_id, reason, pin),
        )  # fmt: skip

    def _reset(self, guest_id: str, reason: str, pin: str) -> None:
        services = self.ctx.services

        def work() -> tuple[HoldsReset, Any]:
            done = services.get().hold_reset.reset_guest(guest_id, reason, pin)
            return done, services.get().guests.panel(guest_id)

        self.screen.hide_message()
        self.ctx.runner.run(work, self._holds_reset, self._reset_failed)

    def _holds_reset(self, result: tuple[HoldsReset, Any]) -> None:
        done, panel = result
        if done.released:
            text = translate(
                "LoyaltyActions", "The guest's holds released on the server: %1 (approved by %2)."
            ).replace("%1", str(done.released))
        else:
            text = translate(
                "LoyaltyActions", "The guest had no open holds on the server; nothing to release."
            )
        self.show_message(text.replace("%2", done.approved_by), "info")
        self.controller.adopt_guest(panel)  # the guest's points panel refreshes itself

    def _reset_failed(self, error: Exception) -> None:
        code = getattr(error, "code", "")
        texts = {
            "server_unavailable": translate(
                "LoyaltyActions",
                "The server cannot be reached, so no holds were released. Try again online.",
            ),
            "server_refused_staff": translate(
                "LoyaltyActions",
                "The server did not accept this manager's PIN or role; nothing was released.",
            ),
            "reset_refused": translate("LoyaltyActions", "The server refused: %1").replace(
                "%1", str(getattr(error, "details", {}).get("detail", ""))),
            "not_connected": translate(
                "LoyaltyActions",
                "This till is not enrolled with a server; it cannot release holds.",
            ),
            "pin_too_short_for_server": translate(
                "LoyaltyActions",
                "This manager's PIN is shorter than 6 digits, which the server does not accept; "
                "ask the admin for a new PIN. Nothing was released.",
            ),
            "reason_needed": translate(
                "LoyaltyActions", "Say why the holds are reset (a few words for the audit)."
            ),
        }  # fmt: skip
        if code in texts:
            self.show_message(texts[code])
        else:
            self.controller.fail(error)


def _bonus(services: ServiceHolder) -> BonusOverrideService:
    return services.get().bonus
