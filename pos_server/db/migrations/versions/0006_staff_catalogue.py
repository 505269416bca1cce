"""Staff, roles and PINs; catalogue and guest groups on the server.

Owned by the server-staff work stream, which fills it in.

Revision ID: 0006
Revises: 0005
"""

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
