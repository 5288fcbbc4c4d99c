"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 18:44:50.890955
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "geocode_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("query", sa.String(length=300), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_geocode_cache")),
        sa.UniqueConstraint("query", name=op.f("uq_geocode_cache_query")),
    )
    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "municipality",
                "health_centre",
                "hospital",
                "station",
                "town_hall",
                "school",
                "shop",
                "other",
                name="place_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("ine_code", sa.String(length=5), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("meeting_point", sa.String(length=300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name=op.f("ck_places_latitude_range")),
        sa.CheckConstraint(
            "longitude BETWEEN -180 AND 180", name=op.f("ck_places_longitude_range")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["places.id"],
            name=op.f("fk_places_municipality_id_places"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
        sa.UniqueConstraint("ine_code", name=op.f("uq_places_ine_code")),
    )
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_places_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_places_name"), ["name"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "newcomer",
                "driver",
                "coordinator",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("first_name", sa.String(length=80), nullable=False),
        sa.Column("last_name", sa.String(length=120), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("preferred_language", sa.String(length=8), nullable=False),
        sa.Column("home_place_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["home_place_id"],
            ["places.id"],
            name=op.f("fk_people_home_place_id_places"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("email", name=op.f("uq_people_email")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_people_home_place_id"), ["home_place_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_people_role"), ["role"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["people.id"],
            name=op.f("fk_audit_log_actor_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "day_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                "superseded",
                name="plan_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("requests_count", sa.Integer(), nullable=False),
        sa.Column("served_count", sa.Integer(), nullable=False),
        sa.Column("distance_m", sa.Integer(), nullable=False),
        sa.Column("solve_seconds", sa.Double(), nullable=False),
        sa.Column("objective", sa.Integer(), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["people.id"],
            name=op.f("fk_day_plans_created_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_plans")),
        sa.UniqueConstraint("date", "version", name="uq_day_plans_date_version"),
    )
    with op.batch_alter_table("day_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_day_plans_date"), ["date"], unique=False)

    op.create_table(
        "person_languages",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_languages_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "language", name=op.f("pk_person_languages")),
    )
    op.create_table(
        "ride_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rider_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_ride_series_weekday_range")),
        sa.ForeignKeyConstraint(
            ["rider_id"],
            ["people.id"],
            name=op.f("fk_ride_series_rider_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ride_series")),
    )
    with op.batch_alter_table("ride_series", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ride_series_rider_id"), ["rider_id"], unique=False)

    op.create_table(
        "vehicles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("driver_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("child_seats", sa.Integer(), nullable=False),
        sa.Column("wheelchair_places", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "child_seats >= 0 AND child_seats <= seats", name=op.f("ck_vehicles_child_seats_range")
        ),
        sa.CheckConstraint("seats >= 0 AND seats <= 8", name=op.f("ck_vehicles_seats_range")),
        sa.CheckConstraint(
            "wheelchair_places >= 0 AND wheelchair_places <= 2",
            name=op.f("ck_vehicles_wheelchair_range"),
        ),
        sa.ForeignKeyConstraint(
            ["driver_id"],
            ["people.id"],
            name=op.f("fk_vehicles_driver_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicles")),
    )
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vehicles_driver_id"), ["driver_id"], unique=False)

    op.create_table(
        "ride_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rider_id", sa.Integer(), nullable=False),
        sa.Column("booked_by_id", sa.Integer(), nullable=True),
        sa.Column("origin_id", sa.Integer(), nullable=False),
        sa.Column("destination_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column(
            "time_kind",
            sa.Enum(
                "leave_after",
                "arrive_by",
                name="time_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("time", sa.Time(), nullable=False),
        sa.Column("flexibility_min", sa.Integer(), nullable=False),
        sa.Column("adults", sa.Integer(), nullable=False),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.Column("child_seats", sa.Integer(), nullable=False),
        sa.Column("wheelchair", sa.Boolean(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "health",
                "shopping",
                "administration",
                "training_work",
                "school",
                "other",
                name="purpose",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("outward_id", sa.Integer(), nullable=True),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "scheduled",
                "unserved",
                "cancelled",
                "done",
                "no_show",
                name="request_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("status_note", sa.String(length=300), nullable=True),
        sa.Column("confirmed_pickup_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "adults >= 0 AND children >= 0 AND adults + children >= 1",
            name=op.f("ck_ride_requests_seats"),
        ),
        sa.CheckConstraint(
            "child_seats >= 0 AND child_seats <= children",
            name=op.f("ck_ride_requests_child_seats"),
        ),
        sa.CheckConstraint("flexibility_min >= 0", name=op.f("ck_ride_requests_flexibility")),
        sa.CheckConstraint(
            "origin_id <> destination_id", name=op.f("ck_ride_requests_distinct_places")
        ),
        sa.ForeignKeyConstraint(
            ["booked_by_id"],
            ["people.id"],
            name=op.f("fk_ride_requests_booked_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["destination_id"],
            ["places.id"],
            name=op.f("fk_ride_requests_destination_id_places"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["origin_id"],
            ["places.id"],
            name=op.f("fk_ride_requests_origin_id_places"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["outward_id"],
            ["ride_requests.id"],
            name=op.f("fk_ride_requests_outward_id_ride_requests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["rider_id"],
            ["people.id"],
            name=op.f("fk_ride_requests_rider_id_people"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["ride_series.id"],
            name=op.f("fk_ride_requests_series_id_ride_series"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ride_requests")),
        sa.UniqueConstraint("outward_id", name=op.f("uq_ride_requests_outward_id")),
    )
    with op.batch_alter_table("ride_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ride_requests_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_ride_requests_rider_id"), ["rider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ride_requests_series_id"), ["series_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ride_requests_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_ride_requests_open_trip",
            ["rider_id", "date", "time", "origin_id", "destination_id"],
            unique=True,
            sqlite_where=sa.text("status <> 'cancelled'"),
            postgresql_where=sa.text("status <> 'cancelled'"),
        )

    op.create_table(
        "shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("driver_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("start_place_id", sa.Integer(), nullable=False),
        sa.Column("end_place_id", sa.Integer(), nullable=False),
        sa.Column("max_duration_min", sa.Integer(), nullable=True),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "max_duration_min IS NULL OR max_duration_min > 0",
            name=op.f("ck_shifts_max_duration_positive"),
        ),
        sa.CheckConstraint("start_time < end_time", name=op.f("ck_shifts_time_order")),
        sa.ForeignKeyConstraint(
            ["driver_id"],
            ["people.id"],
            name=op.f("fk_shifts_driver_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["end_place_id"],
            ["places.id"],
            name=op.f("fk_shifts_end_place_id_places"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["start_place_id"],
            ["places.id"],
            name=op.f("fk_shifts_start_place_id_places"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicles.id"],
            name=op.f("fk_shifts_vehicle_id_vehicles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
    )
    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shifts_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_shifts_driver_id"), ["driver_id"], unique=False)

    op.create_table(
        "routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("driver_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "offered",
                "accepted",
                "declined",
                "completed",
                name="route_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("distance_m", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["driver_id"],
            ["people.id"],
            name=op.f("fk_routes_driver_id_people"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["day_plans.id"],
            name=op.f("fk_routes_plan_id_day_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name=op.f("fk_routes_shift_id_shifts"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicles.id"],
            name=op.f("fk_routes_vehicle_id_vehicles"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routes")),
    )
    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routes_driver_id"), ["driver_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_routes_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "unserved_requests",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["day_plans.id"],
            name=op.f("fk_unserved_requests_plan_id_day_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["ride_requests.id"],
            name=op.f("fk_unserved_requests_request_id_ride_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("plan_id", "request_id", name=op.f("pk_unserved_requests")),
    )
    op.create_table(
        "stops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "pickup",
                "dropoff",
                name="stop_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "done",
                "no_show",
                name="stop_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_stops_place_id_places"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["ride_requests.id"],
            name=op.f("fk_stops_request_id_ride_requests"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["route_id"], ["routes.id"], name=op.f("fk_stops_route_id_routes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stops")),
        sa.UniqueConstraint("route_id", "position", name="uq_stops_route_position"),
    )
    with op.batch_alter_table("stops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stops_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stops_route_id"), ["route_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stops_route_id"))
        batch_op.drop_index(batch_op.f("ix_stops_request_id"))

    op.drop_table("stops")
    op.drop_table("unserved_requests")
    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routes_plan_id"))
        batch_op.drop_index(batch_op.f("ix_routes_driver_id"))

    op.drop_table("routes")
    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shifts_driver_id"))
        batch_op.drop_index(batch_op.f("ix_shifts_date"))

    op.drop_table("shifts")
    with op.batch_alter_table("ride_requests", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_ride_requests_open_trip",
            sqlite_where=sa.text("status <> 'cancelled'"),
            postgresql_where=sa.text("status <> 'cancelled'"),
        )
        batch_op.drop_index(batch_op.f("ix_ride_requests_status"))
        batch_op.drop_index(batch_op.f("ix_ride_requests_series_id"))
        batch_op.drop_index(batch_op.f("ix_ride_requests_rider_id"))
        batch_op.drop_index(batch_op.f("ix_ride_requests_date"))

    op.drop_table("ride_requests")
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vehicles_driver_id"))

    op.drop_table("vehicles")
    with op.batch_alter_table("ride_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ride_series_rider_id"))

    op.drop_table("ride_series")
    op.drop_table("person_languages")
    with op.batch_alter_table("day_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_day_plans_date"))

    op.drop_table("day_plans")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index(batch_op.f("ix_audit_log_actor_id"))

    op.drop_table("audit_log")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_role"))
        batch_op.drop_index(batch_op.f("ix_people_home_place_id"))

    op.drop_table("people")
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_places_name"))
        batch_op.drop_index(batch_op.f("ix_places_municipality_id"))

    op.drop_table("places")
    op.drop_table("geocode_cache")
