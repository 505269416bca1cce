"""The guest card (issue 17): its fields, contacts with their kind, blocked identifiers, the
guest's own loyalty percentages and whether the group was put by hand, permissions granted to
staff one by one, the stamps of edited fields and the guest's audit.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("guests") as table:
        table.add_column(sa.Column("birthday", sa.Date(), nullable=True))
        table.add_column(sa.Column("sex", sa.String(8), nullable=True))
        table.add_column(sa.Column("note", sa.String(1000), nullable=False, server_default=""))
        table.add_column(
            sa.Column(
                "cabinet_login_allowed", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
        table.add_column(
            sa.Column("ordering_allowed", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        table.add_column(
            sa.Column(
                "registration_skipped", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("guest_identifiers") as table:
        table.add_column(sa.Column("blocked_at", _AT, nullable=True))
        table.add_column(sa.Column("block_reason", sa.String(200), nullable=True))
    with op.batch_alter_table("guest_loyalty") as table:
        table.add_column(
            sa.Column("group_by_hand", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        table.add_column(sa.Column("accrual_bp", sa.Integer(), nullable=True))
        table.add_column(sa.Column("max_redemption_bp", sa.Integer(), nullable=True))
    with op.batch_alter_table("staff") as table:
        table.add_column(sa.Column("permissions", sa.JSON(), nullable=False, server_default="[]"))
    op.create_table(
        "guest_contacts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("guest_id", sa.String(64), sa.ForeignKey("guests.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
        sa.Column("label", sa.String(8), nullable=False),
        sa.Column("value", sa.String(254), nullable=False),
        sa.UniqueConstraint("guest_id", "type", "value"),
    )
    op.create_index("ix_guest_contacts_guest_id", "guest_contacts", ["guest_id"])
    op.create_index("ix_guest_contacts_value", "guest_contacts", ["value"])
    op.create_table(
        "guest_field_stamps",
        sa.Column("guest_id", sa.String(64), sa.ForeignKey("guests.id"), primary_key=True),
        sa.Column("field", sa.String(32), primary_key=True),
        sa.Column("changed_at", _AT, nullable=False),
        sa.Column("terminal_id", sa.String(36), nullable=True),
        sa.Column("op_id", sa.String(36), nullable=True),
    )
    op.create_table(
        "guest_audit",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("guest_id", sa.String(64), nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.Column("changed_at", _AT, nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("field", sa.String(32), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("staff_id", sa.String(36), nullable=True),
        sa.Column("terminal_id", sa.String(36), nullable=True),
        sa.Column("op_id", sa.String(36), nullable=True),
        sa.Column("reason", sa.String(200), nullable=False, server_default=""),
    )
    op.create_index("ix_guest_audit_guest", "guest_audit", ["guest_id", "id"])
    # the guests' phones so far are their first contacts
    op.execute(
        "INSERT INTO guest_contacts (guest_id, position, type, label, value)"
        " SELECT id, 0, 'phone', 'mobile', phone FROM guests WHERE phone IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_guest_audit_guest", table_name="guest_audit")
    op.drop_table("guest_audit")
    op.drop_table("guest_field_stamps")
    op.drop_index("ix_guest_contacts_value", table_name="guest_contacts")
    op.drop_index("ix_guest_contacts_guest_id", table_name="guest_contacts")
    op.drop_table("guest_contacts")
    with op.batch_alter_table("staff") as table:
        table.drop_column("permissions")
    with op.batch_alter_table("guest_loyalty") as table:
        for column in ("max_redemption_bp", "accrual_bp", "group_by_hand"):
            table.drop_column(column)
    with op.batch_alter_table("guest_identifiers") as table:
        table.drop_column("block_reason")
        table.drop_column("blocked_at")
    with op.batch_alter_table("guests") as table:
        for column in (
            "registration_skipped",
            "ordering_allowed",
            "cabinet_login_allowed",
            "note",
            "sex",
            "birthday",
        ):
            table.drop_column(column)
