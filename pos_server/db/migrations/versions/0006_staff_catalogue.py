"""Staff, roles and PINs; catalogue and guest groups on the server.

Owned by the server-staff work stream. Also the (placed_at, id) index the console's order
listing pages by.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _col(name: str, kind: sa.types.TypeEngine, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, kind, nullable=nullable)


def upgrade() -> None:
    at = sa.DateTime(timezone=True)
    op.create_table(
        "staff",
        sa.Column("id", sa.String(36), primary_key=True),
        _col("name", sa.String(200)),
        _col("role", sa.String(16)),
        _col("pin_hash", sa.String(128)),
        _col("salt", sa.String(64)),
        _col("params", sa.JSON()),
        _col("active", sa.Boolean()),
        _col("created_at", at),
        _col("updated_at", at),
    )
    op.create_table(
        "product_groups",
        sa.Column("id", sa.String(64), primary_key=True),
        _col("name", sa.String(200)),
        _col("position", sa.Integer()),
        _col("active", sa.Boolean()),
        _col("updated_at", at),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.String(64), primary_key=True),
        _col("name", sa.String(200)),
        _col("price", sa.BigInteger()),
        _col("barcode", sa.String(64), nullable=True),
        sa.Column("group_id", sa.String(64), sa.ForeignKey("product_groups.id"), nullable=True),
        _col("tags", sa.JSON()),
        _col("allow_points", sa.Boolean()),
        _col("guest_orderable", sa.Boolean()),
        _col("active", sa.Boolean()),
        _col("updated_at", at),
    )
    op.create_index("ix_products_barcode", "products", ["barcode"])
    op.create_index("ix_products_group_id", "products", ["group_id"])
    op.create_table(
        "guest_groups",
        sa.Column("id", sa.String(64), primary_key=True),
        _col("name", sa.String(200)),
        _col("discount_bp", sa.Integer()),
        _col("spend_threshold", sa.BigInteger()),
        _col("scope", sa.JSON()),
        _col("auto_move", sa.Boolean()),
        _col("no_demotion", sa.Boolean()),
        _col("demote_to", sa.String(64), nullable=True),
        _col("daily_identification_limit", sa.Integer(), nullable=True),
        _col("daily_points_spend_limit", sa.BigInteger(), nullable=True),
        _col("accrual_bp", sa.Integer(), nullable=True),
        _col("max_redemption_bp", sa.Integer(), nullable=True),
        _col("offline_allowance", sa.BigInteger()),
        _col("active", sa.Boolean()),
        _col("updated_at", at),
    )
    op.create_index("ix_guest_orders_placed_at_id", "guest_orders", ["placed_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_guest_orders_placed_at_id", "guest_orders")
    op.drop_table("guest_groups")
    op.drop_index("ix_products_group_id", "products")
    op.drop_index("ix_products_barcode", "products")
    op.drop_table("products")
    op.drop_table("product_groups")
    op.drop_table("staff")
