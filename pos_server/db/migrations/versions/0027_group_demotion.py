"""Demotion by period (issue 18 point 3) and the back office's guest search (point 10).

- ``guest_groups.demotion_days``: the group's rolling period; with ``demote_to`` (and not
  ``no_demotion``) guests short of the threshold within it are moved down by the demotion job,
  and promotion into the group counts the spend within it.
- ``guest_spend``: every spend that grew a guest's lifetime spend, when (the rolling periods
  are summed from it); filled from ``sale_loyalty`` (money and points paid) for past sales.
- Case-insensitive prefix indexes for the guest search by name, contact and card (PostgreSQL:
  ``*_pattern_ops`` so ``LIKE 'abc%'`` uses them whatever the collation).

Revision ID: 0027
Revises: 0026
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("guest_groups", sa.Column("demotion_days", sa.Integer(), nullable=True))
    op.create_table(
        "guest_spend",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("guest_id", sa.String(64), sa.ForeignKey("guests.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
    )  # fmt: skip
    op.create_index("ix_guest_spend_guest_at", "guest_spend", ["guest_id", "at"])
    op.execute(
        "INSERT INTO guest_spend (guest_id, at, amount) SELECT guest_id, closed_at, "
        "money_paid + points_paid FROM sale_loyalty WHERE money_paid + points_paid > 0"
    )
    # the list's order (by name) and the prefix matches (PostgreSQL: pattern ops; SQLite
    # gets plain indexes of the same names, so both match the models)
    op.create_index("ix_guests_name_lower", "guests", [sa.text("lower(name)")])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_guests_name_pattern ON guests "
                   "(lower(name) varchar_pattern_ops)")  # fmt: skip
        op.execute("CREATE INDEX ix_guest_contacts_value_lower ON guest_contacts "
                   "(lower(value) varchar_pattern_ops)")  # fmt: skip
        op.execute("CREATE INDEX ix_guest_identifiers_value_pattern ON guest_identifiers "
                   "(value varchar_pattern_ops)")  # fmt: skip
    else:
        op.create_index("ix_guests_name_pattern", "guests", [sa.text("lower(name)")])
        op.create_index("ix_guest_contacts_value_lower", "guest_contacts",
                        [sa.text("lower(value)")])  # fmt: skip
        op.create_index("ix_guest_identifiers_value_pattern", "guest_identifiers", ["value"])


def downgrade() -> None:
    op.drop_index("ix_guest_identifiers_value_pattern", "guest_identifiers")
    op.drop_index("ix_guests_name_pattern", "guests")
    op.drop_index("ix_guest_contacts_value_lower", "guest_contacts")
    op.drop_index("ix_guests_name_lower", "guests")
    op.drop_index("ix_guest_spend_guest_at", "guest_spend")
    op.drop_table("guest_spend")
    op.drop_column("guest_groups", "demotion_days")
