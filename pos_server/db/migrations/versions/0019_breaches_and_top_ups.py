"""Issue 16 points 1 and 4.

- A rule breach may name no guest: a sale without a guest that claims points is refused and
  listed for managers like any other unbacked points payment (``rule_breaches.guest_id``
  nullable).
- ``staff_top_ups``: what each staff member topped up on each business day of the shop, so a
  top-up is held to its role's daily limit with one row locked, not a scan of the postings.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rule_breaches") as table:
        table.alter_column("guest_id", existing_type=sa.String(64), nullable=True)
    op.create_table(
        "staff_top_ups",
        sa.Column("staff_id", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("total", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("staff_top_ups")
    op.execute("DELETE FROM rule_breaches WHERE guest_id IS NULL")
    with op.batch_alter_table("rule_breaches") as table:
        table.alter_column("guest_id", existing_type=sa.String(64), nullable=False)
