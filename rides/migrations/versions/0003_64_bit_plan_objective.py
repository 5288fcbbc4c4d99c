"""64-bit plan objective

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 19:16:36.015333
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("day_plans", schema=None) as batch_op:
        batch_op.alter_column(
            "objective", existing_type=sa.INTEGER(), type_=sa.BigInteger(), existing_nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("day_plans", schema=None) as batch_op:
        batch_op.alter_column(
            "objective", existing_type=sa.BigInteger(), type_=sa.INTEGER(), existing_nullable=True
        )
