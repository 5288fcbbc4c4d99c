"""a rider's note for the driver ("I have a pram") on each trip of a booking

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ride_requests") as batch:
        batch.add_column(sa.Column("driver_note", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ride_requests") as batch:
        batch.drop_column("driver_note")
