"""Sync engine state: the till's points holds and reconciliation items (``models_sync.py``).

Enrolment, the last acknowledged seq and the chosen token store live in ``settings``.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_holds',
    sa.Column('hold_id', sa.String(length=64), nullable=False),
    sa.Column('guest_id', sa.String(length=64), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('sale_id', sa.String(length=64), nullable=True),
    sa.Column('offline', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('committed_amount', sa.Integer(), nullable=True),
    sa.Column('reflected', sa.Boolean(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'committed', 'released', 'refused')",
                       name=op.f('ck_sync_holds_status')),
    sa.PrimaryKeyConstraint('hold_id', name=op.f('pk_sync_holds'))
    )
    with op.batch_alter_table('sync_holds', schema=None) as batch_op:
        batch_op.create_index('ix_sync_holds_guest_reflected', ['guest_id', 'reflected'],
                              unique=False)
        batch_op.create_index('ix_sync_holds_sale', ['sale_id'], unique=False)
        batch_op.create_index('ix_sync_holds_status', ['status'], unique=False)
    op.create_table('sync_items',
    sa.Column('op_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.CheckConstraint("verdict IN ('rejected', 'conflict')", name=op.f('ck_sync_items_verdict')),
    sa.PrimaryKeyConstraint('op_id', name=op.f('pk_sync_items'))
    )
    with op.batch_alter_table('sync_items', schema=None) as batch_op:
        batch_op.create_index('ix_sync_items_resolved_seq', ['resolved', 'seq'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sync_items', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_items_resolved_seq')
    op.drop_table('sync_items')
    with op.batch_alter_table('sync_holds', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_holds_status')
        batch_op.drop_index('ix_sync_holds_sale')
        batch_op.drop_index('ix_sync_holds_guest_reflected')
    op.drop_table('sync_holds')
