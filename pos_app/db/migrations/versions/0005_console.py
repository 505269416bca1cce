"""Operator console: cached guest orders, their guests and points balances
(``models_console.py``).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('console_orders',
    sa.Column('order_id', sa.String(length=64), nullable=False),
    sa.Column('change_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('guest_id', sa.String(length=64), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('placed_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('pending_ops', sa.Integer(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('order_id', name=op.f('pk_console_orders'))
    )
    with op.batch_alter_table('console_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_console_orders_guest_id'), ['guest_id'], unique=False)
        batch_op.create_index('ix_console_orders_placed_at', ['placed_at'], unique=False)
        batch_op.create_index('ix_console_orders_state_placed', ['state', 'placed_at'], unique=False)
    op.create_table('console_guests',
    sa.Column('guest_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('search_key', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('guest_id', name=op.f('pk_console_guests'))
    )
    op.create_table('console_points',
    sa.Column('guest_id', sa.String(length=64), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('held', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('guest_id', name=op.f('pk_console_points'))
    )


def downgrade() -> None:
    for name in ('console_points', 'console_guests', 'console_orders'):
        op.drop_table(name)
