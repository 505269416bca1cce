"""Till: staff, shifts with cash movements, card slips, promo codes (``models_till.py``);
the sale's order discount (a promo code's) on ``sales``.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('pin_hash', sa.String(length=256), nullable=False),
    sa.Column('salt', sa.String(length=128), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("role IN ('cashier', 'manager', 'operator', 'admin')",
                       name=op.f('ck_staff_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    op.create_table('shifts',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.String(length=32), nullable=False),
    sa.Column('opened_by', sa.String(length=64), nullable=False),
    sa.Column('opening_cash', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.String(length=32), nullable=True),
    sa.Column('closed_by', sa.String(length=64), nullable=True),
    sa.Column('counted_cash', sa.Integer(), nullable=True),
    sa.Column('expected_cash', sa.Integer(), nullable=True),
    sa.CheckConstraint('opening_cash >= 0', name=op.f('ck_shifts_opening_cash')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shifts'))
    )
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.create_index('ix_shifts_terminal_number', ['terminal_id', 'number'], unique=True)
    op.create_table('cash_movements',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('shift_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=False),
    sa.CheckConstraint("kind IN ('in', 'out')", name=op.f('ck_cash_movements_kind')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_cash_movements_amount')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'],
                            name=op.f('fk_cash_movements_shift_id_shifts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_movements'))
    )
    with op.batch_alter_table('cash_movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cash_movements_shift_id'), ['shift_id'], unique=False)
    op.create_table('card_slips',
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('sale_id', sa.String(length=64), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('auth_code', sa.String(length=32), nullable=False),
    sa.Column('rrn', sa.String(length=32), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('reversed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('ref', name=op.f('pk_card_slips'))
    )
    with op.batch_alter_table('card_slips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_slips_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_slips_sale_id'), ['sale_id'], unique=False)
    op.create_table('promo_codes',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('guest_id', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_promo_codes'))
    )
    with op.batch_alter_table('promo_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promo_codes_guest_id'), ['guest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promo_codes_phone'), ['phone'], unique=False)
    op.create_table('sale_promos',
    sa.Column('sale_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('owner_guest_id', sa.String(length=64), nullable=False),
    sa.Column('discount_bp', sa.Integer(), nullable=False),
    sa.Column('cashback_bp', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('sale_id', name=op.f('pk_sale_promos'))
    )


    op.create_table('refunds',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('sale_id', sa.String(length=64), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=False),
    sa.Column('approved_by', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('cash', sa.Integer(), nullable=False),
    sa.Column('card', sa.Integer(), nullable=False),
    sa.Column('balance', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
    sa.UniqueConstraint('sale_id', name=op.f('uq_refunds_sale_id'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_at'), ['at'], unique=False)
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_discount_bp', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('order_discount_reason', sa.String(length=100),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.drop_column('order_discount_reason')
        batch_op.drop_column('order_discount_bp')
    for name in ('refunds', 'sale_promos', 'promo_codes', 'card_slips', 'cash_movements', 'shifts', 'staff'):
        op.drop_table(name)
