"""One store of staff permissions (issues 17 and 18): the back office's ``staff_permissions``
table. The grants of the till's guest card (the JSON column ``staff.permissions``) move into
it and the column goes; the back office's ``bonus`` becomes ``bonus_settings``, the one name
both use (``pos_app.domain.staff_permissions``).

A grant of ``adjust_accounts`` becomes ``bonus_settings`` (credits and debits are bonus
settings in the one vocabulary); ``edit_guest``, ``identifiers`` and ``guest_group`` are given
by role only now and are dropped.

Revision ID: 0025
Revises: 0024
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

_MOVED = {"bonus_settings": "bonus_settings", "adjust_accounts": "bonus_settings"}
_PERMISSIONS = sa.table("staff_permissions", sa.column("staff_id", sa.String),
                        sa.column("permission", sa.String))  # fmt: skip


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return [str(v) for v in value or ()]


def upgrade() -> None:
    bind = op.get_bind()
    stored = {(r.staff_id, r.permission) for r in bind.execute(
        sa.text("SELECT staff_id, permission FROM staff_permissions"))}  # fmt: skip
    renamed = {(s, "bonus_settings" if p == "bonus" else p) for s, p in stored}
    for staff_id, value in bind.execute(sa.text("SELECT id, permissions FROM staff")):
        renamed |= {(staff_id, _MOVED[p]) for p in _names(value) if p in _MOVED}
    if renamed != stored:
        bind.execute(sa.delete(_PERMISSIONS))
        bind.execute(sa.insert(_PERMISSIONS), [
            {"staff_id": s, "permission": p} for s, p in sorted(renamed)])  # fmt: skip
    # not batch mode: SQLite (3.35+) drops a column in place; a copy of ``staff`` would break
    # the foreign keys that point at it
    op.drop_column("staff", "permissions")


def downgrade() -> None:
    op.add_column("staff", sa.Column("permissions", sa.JSON(), nullable=False, server_default="[]"))
    bind = op.get_bind()
    holders = [r.staff_id for r in bind.execute(sa.text(
        "SELECT staff_id FROM staff_permissions WHERE permission = 'bonus_settings'"))]  # fmt: skip
    for staff_id in holders:
        bind.execute(sa.text("UPDATE staff SET permissions = :p WHERE id = :id"),
                     {"p": json.dumps(["bonus_settings"]), "id": staff_id})  # fmt: skip
    bind.execute(
        sa.text(
            "UPDATE staff_permissions SET permission = 'bonus' WHERE permission = 'bonus_settings'"
        )
    )
