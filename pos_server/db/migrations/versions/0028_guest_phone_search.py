"""The back office's guest search by a guest's primary phone (issue 18 point 2).

A guest made at a till with a phone and never edited since has it in ``guests.phone`` only
(no ``guest_contacts`` row), so the search's phone branch reads ``guests.phone`` too, by
prefix: PostgreSQL ``varchar_pattern_ops`` so ``LIKE '+7912%'`` uses the index whatever the
collation (SQLite gets a plain index of the same name, so both match the models).

Revision ID: 0028
Revises: 0027
"""

from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_guests_phone_pattern ON guests (phone varchar_pattern_ops)")
    else:
        op.create_index("ix_guests_phone_pattern", "guests", ["phone"])


def downgrade() -> None:
    op.drop_index("ix_guests_phone_pattern", "guests")
