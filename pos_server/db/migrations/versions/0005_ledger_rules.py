"""Balance accounts, loyalty rules on sales, offline allowance, audited admin actions.

Owned by the server-ledger work stream, which fills it in.

Revision ID: 0005
Revises: 0004
"""

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
