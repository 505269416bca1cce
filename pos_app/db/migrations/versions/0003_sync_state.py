"""Sync engine state: enrolment, cursors, holds, reconciliation items.

Owned by the sync work stream, which fills it in.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
