"""A rule breach may name no guest (issue 16 point 1): a sale without a guest that claims
points is refused and listed for managers like any other unbacked points payment.

Revision ID: 0018
Revises: 0017
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rule_breaches") as table:
        table.alter_column("guest_id", nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM rule_breaches WHERE guest_id IS NULL")
    with op.batch_alter_table("rule_breaches") as table:
        table.alter_column("guest_id", nullable=False)
