"""The permissions given to a member of staff one by one: one vocabulary for the back office
and the tills (issue 18 point 1, seed 004's "Настройки бонусов" checkbox).

The server stores them (table ``staff_permissions``), the back office's staff page and
``pos-server staff permissions`` edit them, and the change feed carries what a member holds
(``held``) to every till. Each opens one section of the back office; ``bonus_settings`` is
also the till's right to change a guest's own loyalty percentages
(``pos_app.domain.guest_card.Permission.BONUS_SETTINGS`` is this very name): one checkbox,
the same at the till and in the back office. An active admin holds every one by role, so the
first admin can never be locked out; a withdrawn member holds none.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pos_app.domain.staff_pins import Role


class StaffPermission(StrEnum):
    GUESTS = "guests"
    LOYALTY = "loyalty"  # loyalty settings: groups, programme settings
    BONUS_SETTINGS = "bonus_settings"  # a guest's own percentages, credits and debits
    CATALOGUE = "catalogue"
    STAFF = "staff"
    REPORTS = "reports"
    TERMINALS = "terminals"


ALL = frozenset(StaffPermission)


def held(role: str, active: bool, stored: Iterable[str]) -> frozenset[StaffPermission]:
    """What a member holds: nothing when withdrawn, everything for an admin, else the stored
    ones (names no longer in the vocabulary are ignored)."""
    if not active:
        return frozenset()
    if role == Role.ADMIN.value:
        return ALL
    names = {p.value for p in StaffPermission}
    return frozenset(StaffPermission(p) for p in stored if p in names)
