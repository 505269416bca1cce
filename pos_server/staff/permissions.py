"""Permissions per member of staff (issue 18 point 1), stored on the server in
``staff_permissions``; the vocabulary is ``pos_app.domain.staff_permissions`` (one for the back
office and the tills).

Each permission opens one section of the back office; every page asks for its section's
permission and answers 403 without it. ``bonus_settings`` is also the tills' right to change a
guest's own loyalty percentages: a change here is fed to the tills (``staff`` entity).
Admins hold every permission whatever is stored, so the first admin (``pos-server admin add``)
can never be locked out of the staff page.
"""

from __future__ import annotations

from pos_app.domain.staff_permissions import ALL, held
from pos_app.domain.staff_permissions import StaffPermission as Permission
from pos_app.domain.staff_pins import Role
from pos_server.db.models_staff import StaffRow
from pos_server.staff.service import StaffError, fed, get, public_view
from pos_server.uow import UnitOfWork

__all__ = ["ALL", "Permission", "granted", "may_manage", "set_permissions"]


def granted(uow: UnitOfWork, row: StaffRow) -> frozenset[Permission]:
    """What ``row`` may open: everything for an active admin, else what is stored."""
    return held(row.role, row.active, uow.staff.permissions(row.id))


def set_permissions(
    uow: UnitOfWork, staff_id: str, wanted: set[str], *, by_role: Role = Role.ADMIN,
    by_permissions: frozenset[Permission] = ALL,
) -> frozenset[Permission]:  # fmt: skip
    """Store ``wanted`` for a member (audited, before and after) and feed the member to the
    tills (they honour ``bonus_settings``). Nobody grants what they do not hold themselves, and
    an admin's permissions are all of them by role."""
    row = get(uow, staff_id)
    try:
        checked = frozenset(Permission(p) for p in wanted)
    except ValueError:
        raise StaffError("Unknown permission; the permissions are "
                         f"{', '.join(p.value for p in Permission)}.") from None  # fmt: skip
    if row.role == Role.ADMIN.value:
        raise StaffError("An admin holds every permission by role.")
    if by_role is not Role.ADMIN and not checked <= by_permissions:
        raise StaffError("You may grant only permissions you hold yourself.")
    before = sorted(uow.staff.permissions(row.id))
    after = sorted(p.value for p in checked)
    if before != after:
        uow.staff.set_permissions(row.id, set(after))
        row.updated_at = uow.now
        fed(uow, row)
        uow.audit.record("staff.permissions", f"staff:{row.id}", before=before, after=after,
                         reason=public_view(row)["name"])  # fmt: skip
    return checked


def may_manage(uow: UnitOfWork, staff_id: str, *, by_role: Role,
               by_permissions: frozenset[Permission]) -> None:  # fmt: skip
    """Refuse (StaffError) a non-admin changing a member who holds a permission they do not:
    resetting that member's password would let them sign in with more than their own."""
    if by_role is Role.ADMIN:
        return
    if not granted(uow, get(uow, staff_id)) <= by_permissions:
        raise StaffError("You may change only members whose permissions you hold yourself.")
