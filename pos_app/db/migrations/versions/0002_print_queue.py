"""Persistent print queue: ``print_jobs`` (``models_print.py``).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('print_jobs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('printer', sa.String(length=64), nullable=False),
    sa.Column('document', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('next_attempt_at', sa.String(length=32), nullable=True),
    sa.Column('printed_at', sa.String(length=32), nullable=True),
    sa.Column('reprint_of', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('receipt', 'test', 'report')",
                       name=op.f('ck_print_jobs_kind')),
    sa.CheckConstraint("status IN ('queued', 'printing', 'done', 'waiting', 'cancelled')",
                       name=op.f('ck_print_jobs_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_jobs'))
    )
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_print_jobs_printer_status_id',
                              ['printer', 'status', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_print_jobs_printer_status_id')
    op.drop_table('print_jobs')
