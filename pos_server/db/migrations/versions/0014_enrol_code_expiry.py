"""Enrolment codes expire (issue 16 point 7): ``terminals.enrol_code_expires_at``.

A code not yet used when this runs gets the default lifetime from its terminal's creation
(24 h), so an old forgotten code stops working and a fresh one keeps its day.

Revision ID: 0014
Revises: 0013
"""

from datetime import UTC, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

LIFETIME = timedelta(hours=24)


def upgrade() -> None:
    op.add_column(
        "terminals", sa.Column("enrol_code_expires_at", sa.DateTime(timezone=True), nullable=True)
    )
    terminals = sa.table(
        "terminals", sa.column("id", sa.String), sa.column("created_at", sa.DateTime(True)),
        sa.column("enrol_code_hash", sa.String),
        sa.column("enrol_code_expires_at", sa.DateTime(True)),
    )  # fmt: skip
    bind = op.get_bind()
    pending = bind.execute(
        sa.select(terminals.c.id, terminals.c.created_at)
        .where(terminals.c.enrol_code_hash.is_not(None))
    ).all()  # fmt: skip
    for terminal_id, created in pending:
        # SQLite keeps no zone; the server writes UTC
        created_at = created if created.tzinfo else created.replace(tzinfo=UTC)
        bind.execute(
            terminals.update().where(terminals.c.id == terminal_id)
            .values(enrol_code_expires_at=created_at + LIFETIME)
        )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("terminals") as batch:
        batch.drop_column("enrol_code_expires_at")
