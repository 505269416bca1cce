"""The texts of messages to guests became one programme settings group, ``messages`` (issue
18 point 4): the promo programme's three texts set so far move from ``promo.message_<kind>_<lang>``
to ``messages.<kind>_<lang>`` (``pos_server.programme.model.Messages``). Data only; going
back drops the keys the earlier model does not know (``messages.*``, ``staff.*``).

Revision ID: 0035
Revises: 0034
"""

import sqlalchemy as sa
from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

_MOVED = [f"{kind}_{lang}" for kind in ("card", "cashback", "subscribed") for lang in ("ru", "en")]
_RENAME = sa.text("UPDATE programme_settings SET key = :new WHERE key = :old")


def upgrade() -> None:
    for name in _MOVED:
        op.execute(_RENAME.bindparams(old=f"promo.message_{name}", new=f"messages.{name}"))


def downgrade() -> None:
    for name in _MOVED:
        op.execute(_RENAME.bindparams(old=f"messages.{name}", new=f"promo.message_{name}"))
    # the other kinds, the language and the cashier's cap had no setting before: dropped
    op.execute(sa.text("DELETE FROM programme_settings WHERE key LIKE 'messages.%' "
                       "OR key LIKE 'staff.%'"))  # fmt: skip
