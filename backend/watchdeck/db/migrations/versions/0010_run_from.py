"""checks run by agents: where a service runs from, its locations, and checks' location

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 13:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_STATUSES = "status IN ('pending', 'up', 'degraded', 'down', 'paused')"


def upgrade() -> None:
    op.add_column(
        "services",
        sa.Column("run_from", sa.String(length=32), server_default="server", nullable=False),
    )
    op.create_check_constraint("run_from", "services", "run_from IN ('server', 'host', 'labels')")
    op.add_column("services", sa.Column("run_host_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_services_run_host_id_hosts"),
        "services",
        "hosts",
        ["run_host_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_index(op.f("ix_services_run_host_id"), "services", ["run_host_id"])
    op.add_column(
        "services",
        sa.Column(
            "run_labels",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
    )
    op.add_column("services", sa.Column("quorum", sa.SmallInteger(), nullable=True))
    op.create_table(
        "service_locations",
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("host_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("consecutive_successes", sa.Integer(), nullable=False),
        sa.Column("last_check_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_latency_ms", sa.Float(), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_figures", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint(_STATUSES, name=op.f("ck_service_locations_service_status")),
        sa.ForeignKeyConstraint(
            ["host_id"],
            ["hosts.id"],
            name=op.f("fk_service_locations_host_id_hosts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_locations_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "host_id", name=op.f("pk_service_locations")),
    )
    op.create_index(op.f("ix_service_locations_host_id"), "service_locations", ["host_id"])
    op.add_column("checks", sa.Column("host_id", sa.Uuid(), nullable=True))
    op.add_column("checks", sa.Column("late", sa.Boolean(), server_default="false", nullable=False))


def downgrade() -> None:
    op.drop_column("checks", "late")
    op.drop_column("checks", "host_id")
    op.drop_table("service_locations")
    op.drop_column("services", "quorum")
    op.drop_column("services", "run_labels")
    op.drop_index(op.f("ix_services_run_host_id"), table_name="services")
    op.drop_constraint(op.f("fk_services_run_host_id_hosts"), "services", type_="foreignkey")
    op.drop_column("services", "run_host_id")
    op.drop_constraint(op.f("ck_services_run_from"), "services", type_="check")
    op.drop_column("services", "run_from")
