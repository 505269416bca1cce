"""Staff passwords and keys: the admin routes' credentials instead of a PIN (issue 16 point 3).

``password_hash`` is argon2id text, ``key_hash`` the SHA-256 hex of a staff key (unique: a key
finds its person). Both server-only, never in the change feed. Existing rows get neither: an
admin sets a password with ``pos-server staff set-password`` (or makes a key with
``pos-server staff new-key``) before using the admin routes again.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(255), nullable=True))
        batch.add_column(sa.Column("key_hash", sa.String(64), nullable=True))
    op.create_index("ix_staff_key_hash", "staff", ["key_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_staff_key_hash", table_name="staff")
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("key_hash")
        batch.drop_column("password_hash")
