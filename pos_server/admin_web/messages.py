"""Sentences the server's services raise (in English) that the back office shows translated:
listed here so the catalogue extraction finds them (``who.gettext(str(error))`` looks them
up; one that is not in the catalogue is shown in English)."""

from __future__ import annotations


def _(message: str) -> str:
    return message


SERVICE_MESSAGES = (
    _("A staff member's name is 1 to 200 characters."),
    _("A PIN is 4 to 8 digits."),
    _(
        "Another active member of staff already has this PIN; a till tells people apart by PIN "
        "alone, so choose a different one."
    ),
    _("Only an admin may add, change or deactivate an admin."),
    _("This is the last active admin; add another admin first."),
    _("A staff password is 12 to 1024 characters."),
    _("A staff password has no leading or trailing spaces and no control characters."),
    _("You may grant only permissions you hold yourself."),
    _("You may change only members whose permissions you hold yourself."),
    _("A terminal's name is 1 to 200 characters."),
    _("A guest group with this id already exists."),
    _("A cashier's PIN is 4 to 8 digits."),
    _("A manager's PIN is 6 to 8 digits."),
    _("An operator's PIN is 4 to 8 digits."),
    _("An admin's PIN is 6 to 8 digits."),
    # the group form's field names (FormProblem)
    _("Discount"),
    _("Spend threshold"),
    _("Identifications a day"),
    _("Points spent a day"),
    _("Accrual"),
    _("Max redemption"),
    _("Offline allowance"),
    # roles and permissions as the pages show them
    _("cashier"),
    _("manager"),
    _("operator"),
    _("admin"),
    _("guests"),
    _("loyalty"),
    _("bonus settings"),  # bonus_settings, shown with a space
    _("catalogue"),
    _("staff"),
    _("reports"),
    _("terminals"),
    # the guest card: sex, contact types and kinds, accounts and posting kinds
    _("female"),
    _("male"),
    _("phone"),
    _("email"),
    _("mobile"),
    _("home"),
    _("work"),
    _("other"),
    _("points"),
    _("money"),
    _("credit"),
    _("debit"),
    _("hold"),
    _("commit"),
    _("release"),
    _("expire"),
    _("accrual"),
    _("adjustment"),
    _("debt"),
)
