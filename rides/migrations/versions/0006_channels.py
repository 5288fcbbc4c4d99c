"""channels: each delivery attempt, replies people send, a person's channel order

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import rides.models.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNELS = ("sms", "whatsapp", "email", "call")


def _channel() -> sa.Enum:
    return sa.Enum(*CHANNELS, name="channel", native_enum=False, create_constraint=True, length=24)


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("channels", sa.String(length=60), nullable=True))

    op.create_table(
        "delivery_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("channel", _channel(), nullable=False),
        sa.Column("attempted_at", rides.models.base.UTCDateTime(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "sent", "delivered", "read", "failed", "undelivered",
                name="attempt_status", native_enum=False, create_constraint=True, length=24,
            ),
            nullable=False,
        ),
        sa.Column("provider_id", sa.String(length=120), nullable=True),
        sa.Column("segments", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("updated_at", rides.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["outbox.id"],
            name=op.f("fk_delivery_attempts_message_id_outbox"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_attempts")),
    )  # fmt: skip
    with op.batch_alter_table("delivery_attempts") as batch:
        batch.create_index(batch.f("ix_delivery_attempts_message_id"), ["message_id"])
        batch.create_index(batch.f("ix_delivery_attempts_provider_id"), ["provider_id"])

    op.create_table(
        "inbound_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_at", rides.models.base.UTCDateTime(), nullable=False),
        sa.Column("channel", _channel(), nullable=False),
        sa.Column("provider_id", sa.String(length=120), nullable=False),
        sa.Column("sender", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "confirmed", "cancelled", "inbox",
                name="reply_outcome", native_enum=False, create_constraint=True, length=24,
            ),
            nullable=False,
        ),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("handled_at", rides.models.base.UTCDateTime(), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"],
            name=op.f("fk_inbound_messages_person_id_people"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["ride_requests.id"],
            name=op.f("fk_inbound_messages_request_id_ride_requests"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_id"], ["people.id"],
            name=op.f("fk_inbound_messages_handled_by_id_people"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_messages")),
        sa.UniqueConstraint("provider_id", name=op.f("uq_inbound_messages_provider_id")),
    )  # fmt: skip
    with op.batch_alter_table("inbound_messages") as batch:
        batch.create_index(batch.f("ix_inbound_messages_received_at"), ["received_at"])
        batch.create_index(batch.f("ix_inbound_messages_person_id"), ["person_id"])
        batch.create_index(batch.f("ix_inbound_messages_request_id"), ["request_id"])


def downgrade() -> None:
    op.drop_table("inbound_messages")
    op.drop_table("delivery_attempts")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("channels")
