"""Initial schema of the till store (times are ISO-8601 UTC text, money int kopecks).

Revision ID: 0001
Revises: -
Create Date: 2026-11-23 08:26:59.723041
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('guest_groups',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('discount_bp', sa.Integer(), nullable=False),
    sa.Column('spend_threshold', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('auto_move', sa.Boolean(), nullable=False),
    sa.Column('no_demotion', sa.Boolean(), nullable=False),
    sa.Column('demote_to', sa.String(length=64), nullable=True),
    sa.Column('daily_identification_limit', sa.Integer(), nullable=True),
    sa.Column('daily_points_spend_limit', sa.Integer(), nullable=True),
    sa.Column('accrual_bp', sa.Integer(), nullable=True),
    sa.Column('max_redemption_bp', sa.Integer(), nullable=True),
    sa.Column('offline_allowance', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guest_groups'))
    )
    op.create_table('outbox',
    sa.Column('op_id', sa.String(length=36), nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'applied', 'rejected')", name=op.f('ck_outbox_status')),
    sa.PrimaryKeyConstraint('op_id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('terminal_id', 'seq', name='uq_outbox_terminal_seq')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_status_seq', ['status', 'seq'], unique=False)

    op.create_table('product_groups',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_groups'))
    )
    op.create_table('sales',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_at', sa.String(length=32), nullable=False),
    sa.Column('ended_at', sa.String(length=32), nullable=True),
    sa.Column('receipt_no', sa.String(length=32), nullable=True),
    sa.Column('next_line_no', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('guest_id', sa.String(length=64), nullable=True),
    sa.Column('guest_name', sa.String(length=200), nullable=True),
    sa.Column('identified_by', sa.String(length=32), nullable=True),
    sa.Column('group_id', sa.String(length=64), nullable=True),
    sa.Column('group_name', sa.String(length=200), nullable=True),
    sa.Column('discount_bp', sa.Integer(), nullable=True),
    sa.Column('discount_scope', sa.Text(), nullable=True),
    sa.Column('subtotal', sa.Integer(), nullable=False),
    sa.Column('discount', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('paid', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'closed', 'cancelled')", name=op.f('ck_sales_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales')),
    sa.UniqueConstraint('receipt_no', name=op.f('uq_sales_receipt_no'))
    )
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_guest_id'), ['guest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_status'), ['status'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('terminal_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terminal_id', sa.String(length=64), nullable=False),
    sa.Column('receipt_prefix', sa.String(length=8), nullable=False),
    sa.Column('next_seq', sa.Integer(), nullable=False),
    sa.Column('next_receipt_no', sa.Integer(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_terminal_state_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_terminal_state'))
    )
    op.create_table('guests',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('group_id', sa.String(length=64), nullable=True),
    sa.Column('search_key', sa.String(length=200), nullable=False),
    sa.Column('lifetime_spend', sa.Integer(), nullable=False),
    sa.Column('emails', sa.Text(), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=True),
    sa.Column('password_hash', sa.Text(), nullable=True),
    sa.Column('skip_registration', sa.Boolean(), nullable=False),
    sa.Column('can_order_from_cabinet', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['guest_groups.id'], name=op.f('fk_guests_group_id_guest_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guests')),
    sa.UniqueConstraint('login', name=op.f('uq_guests_login'))
    )
    with op.batch_alter_table('guests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guests_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_guests_search_key'), ['search_key'], unique=False)

    op.create_table('payments',
    sa.Column('sale_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('tendered', sa.Integer(), nullable=False),
    sa.Column('change', sa.Integer(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_payments_sale_id_sales'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sale_id', 'position', name=op.f('pk_payments'))
    )
    op.create_table('products',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.String(length=64), nullable=True),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.Column('barcode', sa.String(length=64), nullable=True),
    sa.Column('guest_orderable', sa.Boolean(), nullable=False),
    sa.Column('payable_with_points', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('price >= 0', name=op.f('ck_products_price_not_negative')),
    sa.ForeignKeyConstraint(['group_id'], ['product_groups.id'], name=op.f('fk_products_group_id_product_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('barcode', name=op.f('uq_products_barcode'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_name'), ['name'], unique=False)

    op.create_table('sale_lines',
    sa.Column('sale_id', sa.String(length=64), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.String(length=64), nullable=False),
    sa.Column('product_name', sa.String(length=200), nullable=False),
    sa.Column('product_group_id', sa.String(length=64), nullable=True),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.Column('barcode', sa.String(length=64), nullable=True),
    sa.Column('payable_with_points', sa.Boolean(), nullable=False),
    sa.Column('unit_price', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('discount', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_sale_lines_sale_id_sales'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sale_id', 'line_no', name=op.f('pk_sale_lines'))
    )
    op.create_table('account_snapshots',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('guest_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('held', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=True),
    sa.CheckConstraint("kind IN ('bonus', 'balance')", name=op.f('ck_account_snapshots_kind')),
    sa.ForeignKeyConstraint(['guest_id'], ['guests.id'], name=op.f('fk_account_snapshots_guest_id_guests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_account_snapshots'))
    )
    with op.batch_alter_table('account_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_snapshots_guest_id'), ['guest_id'], unique=False)

    op.create_table('guest_phones',
    sa.Column('guest_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['guest_id'], ['guests.id'], name=op.f('fk_guest_phones_guest_id_guests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('guest_id', 'phone', name=op.f('pk_guest_phones'))
    )
    with op.batch_alter_table('guest_phones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guest_phones_phone'), ['phone'], unique=False)

    op.create_table('identifiers',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('medium', sa.String(length=32), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=False),
    sa.Column('guest_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['guest_id'], ['guests.id'], name=op.f('fk_identifiers_guest_id_guests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identifiers')),
    sa.UniqueConstraint('value', name=op.f('uq_identifiers_value'))
    )
    with op.batch_alter_table('identifiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identifiers_guest_id'), ['guest_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('identifiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identifiers_guest_id'))

    op.drop_table('identifiers')
    with op.batch_alter_table('guest_phones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guest_phones_phone'))

    op.drop_table('guest_phones')
    with op.batch_alter_table('account_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_snapshots_guest_id'))

    op.drop_table('account_snapshots')
    op.drop_table('sale_lines')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_name'))
        batch_op.drop_index(batch_op.f('ix_products_group_id'))

    op.drop_table('products')
    op.drop_table('payments')
    with op.batch_alter_table('guests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guests_search_key'))
        batch_op.drop_index(batch_op.f('ix_guests_group_id'))

    op.drop_table('guests')
    op.drop_table('terminal_state')
    op.drop_table('settings')
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_status'))
        batch_op.drop_index(batch_op.f('ix_sales_guest_id'))

    op.drop_table('sales')
    op.drop_table('product_groups')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_status_seq')

    op.drop_table('outbox')
    op.drop_table('guest_groups')
