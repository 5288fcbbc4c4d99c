"""operating day: stop marks, route changes, planning runs

A marked stop keeps when and by whom (history, and the observed times of issue 18); a drop-off
after a missed pickup is "skipped"; changes to accepted routes wait in route_changes for the
driver; "Plan now" runs are queued in planning_runs and watched while they run.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 12:18:45.351603
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_STATUSES = ("planned", "done", "no_show")
NEW_STATUSES = (*OLD_STATUSES, "skipped")


def _stop_status(*values: str) -> sa.Enum:
    return sa.Enum(
        *values, name="stop_status", native_enum=False, create_constraint=True, length=24
    )


def upgrade() -> None:
    op.create_table(
        "planning_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "running",
                "done",
                "failed",
                name="run_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("time_limit", sa.Double(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("phase", sa.String(length=60), nullable=False),
        sa.Column("requests_count", sa.Integer(), nullable=False),
        sa.Column("served_count", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["day_plans.id"],
            name=op.f("fk_planning_runs_plan_id_day_plans"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["people.id"],
            name=op.f("fk_planning_runs_requested_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_runs")),
    )
    with op.batch_alter_table("planning_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planning_runs_date"), ["date"], unique=False)

    op.create_table(
        "route_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("driver_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "declined",
                "superseded",
                name="change_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("base", sa.JSON(), nullable=False),
        sa.Column("stops", sa.JSON(), nullable=False),
        sa.Column("distance_m", sa.Integer(), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["people.id"],
            name=op.f("fk_route_changes_created_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["driver_id"],
            ["people.id"],
            name=op.f("fk_route_changes_driver_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["ride_requests.id"],
            name=op.f("fk_route_changes_request_id_ride_requests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name=op.f("fk_route_changes_shift_id_shifts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_route_changes")),
    )
    with op.batch_alter_table("route_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_route_changes_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_route_changes_driver_id"), ["driver_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_route_changes_shift_id"), ["shift_id"], unique=False)

    with op.batch_alter_table("stops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("marked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("marked_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_stops_marked_by_id_people"),
            "people",
            ["marked_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.alter_column(
            "status",
            existing_type=_stop_status(*OLD_STATUSES),
            type_=_stop_status(*NEW_STATUSES),
            existing_nullable=False,
        )


def downgrade() -> None:
    op.execute("UPDATE stops SET status = 'planned' WHERE status = 'skipped'")
    with op.batch_alter_table("stops", schema=None) as batch_op:
        batch_op.alter_column(
            "status",
            existing_type=_stop_status(*NEW_STATUSES),
            type_=_stop_status(*OLD_STATUSES),
            existing_nullable=False,
        )
        batch_op.drop_constraint(batch_op.f("fk_stops_marked_by_id_people"), type_="foreignkey")
        batch_op.drop_column("marked_by_id")
        batch_op.drop_column("marked_at")

    with op.batch_alter_table("route_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_route_changes_shift_id"))
        batch_op.drop_index(batch_op.f("ix_route_changes_driver_id"))
        batch_op.drop_index(batch_op.f("ix_route_changes_date"))

    op.drop_table("route_changes")
    with op.batch_alter_table("planning_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_runs_date"))

    op.drop_table("planning_runs")
