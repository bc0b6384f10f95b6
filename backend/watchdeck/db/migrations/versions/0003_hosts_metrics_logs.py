"""hosts, metrics and rollups, service metrics, log lines

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 07:27:13.090659
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "host_metrics",
        sa.Column("host_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cpu", sa.REAL(), nullable=True),
        sa.Column("load1", sa.REAL(), nullable=True),
        sa.Column("load5", sa.REAL(), nullable=True),
        sa.Column("load15", sa.REAL(), nullable=True),
        sa.Column("mem_pct", sa.REAL(), nullable=True),
        sa.Column("swap_pct", sa.REAL(), nullable=True),
        sa.Column("disk_pct", sa.REAL(), nullable=True),
        sa.Column("disk_read_bps", sa.REAL(), nullable=True),
        sa.Column("disk_write_bps", sa.REAL(), nullable=True),
        sa.Column("net_rx_bps", sa.REAL(), nullable=True),
        sa.Column("net_tx_bps", sa.REAL(), nullable=True),
        sa.Column("mem_used", sa.BigInteger(), nullable=True),
        sa.Column("mem_total", sa.BigInteger(), nullable=True),
        sa.Column("processes", sa.Integer(), nullable=True),
        sa.Column("uptime_s", sa.BigInteger(), nullable=True),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        postgresql_partition_by="RANGE (at)",
    )
    op.create_index("ix_host_metrics_host_id_at", "host_metrics", ["host_id", "at"], unique=False)
    op.create_table(
        "host_metrics_1h",
        sa.Column("host_id", sa.Uuid(), nullable=False),
        sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("cpu_avg", sa.REAL(), nullable=True),
        sa.Column("cpu_min", sa.REAL(), nullable=True),
        sa.Column("cpu_max", sa.REAL(), nullable=True),
        sa.Column("load1_avg", sa.REAL(), nullable=True),
        sa.Column("load1_min", sa.REAL(), nullable=True),
        sa.Column("load1_max", sa.REAL(), nullable=True),
        sa.Column("load5_avg", sa.REAL(), nullable=True),
        sa.Column("load5_min", sa.REAL(), nullable=True),
        sa.Column("load5_max", sa.REAL(), nullable=True),
        sa.Column("load15_avg", sa.REAL(), nullable=True),
        sa.Column("load15_min", sa.REAL(), nullable=True),
        sa.Column("load15_max", sa.REAL(), nullable=True),
        sa.Column("mem_pct_avg", sa.REAL(), nullable=True),
        sa.Column("mem_pct_min", sa.REAL(), nullable=True),
        sa.Column("mem_pct_max", sa.REAL(), nullable=True),
        sa.Column("swap_pct_avg", sa.REAL(), nullable=True),
        sa.Column("swap_pct_min", sa.REAL(), nullable=True),
        sa.Column("swap_pct_max", sa.REAL(), nullable=True),
        sa.Column("disk_pct_avg", sa.REAL(), nullable=True),
        sa.Column("disk_pct_min", sa.REAL(), nullable=True),
        sa.Column("disk_pct_max", sa.REAL(), nullable=True),
        sa.Column("disk_read_bps_avg", sa.REAL(), nullable=True),
        sa.Column("disk_read_bps_min", sa.REAL(), nullable=True),
        sa.Column("disk_read_bps_max", sa.REAL(), nullable=True),
        sa.Column("disk_write_bps_avg", sa.REAL(), nullable=True),
        sa.Column("disk_write_bps_min", sa.REAL(), nullable=True),
        sa.Column("disk_write_bps_max", sa.REAL(), nullable=True),
        sa.Column("net_rx_bps_avg", sa.REAL(), nullable=True),
        sa.Column("net_rx_bps_min", sa.REAL(), nullable=True),
        sa.Column("net_rx_bps_max", sa.REAL(), nullable=True),
        sa.Column("net_tx_bps_avg", sa.REAL(), nullable=True),
        sa.Column("net_tx_bps_min", sa.REAL(), nullable=True),
        sa.Column("net_tx_bps_max", sa.REAL(), nullable=True),
        sa.PrimaryKeyConstraint("host_id", "bucket", name=op.f("pk_host_metrics_1h")),
        postgresql_partition_by="RANGE (bucket)",
    )
    op.create_table(
        "host_metrics_1m",
        sa.Column("host_id", sa.Uuid(), nullable=False),
        sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("cpu_avg", sa.REAL(), nullable=True),
        sa.Column("cpu_min", sa.REAL(), nullable=True),
        sa.Column("cpu_max", sa.REAL(), nullable=True),
        sa.Column("load1_avg", sa.REAL(), nullable=True),
        sa.Column("load1_min", sa.REAL(), nullable=True),
        sa.Column("load1_max", sa.REAL(), nullable=True),
        sa.Column("load5_avg", sa.REAL(), nullable=True),
        sa.Column("load5_min", sa.REAL(), nullable=True),
        sa.Column("load5_max", sa.REAL(), nullable=True),
        sa.Column("load15_avg", sa.REAL(), nullable=True),
        sa.Column("load15_min", sa.REAL(), nullable=True),
        sa.Column("load15_max", sa.REAL(), nullable=True),
        sa.Column("mem_pct_avg", sa.REAL(), nullable=True),
        sa.Column("mem_pct_min", sa.REAL(), nullable=True),
        sa.Column("mem_pct_max", sa.REAL(), nullable=True),
        sa.Column("swap_pct_avg", sa.REAL(), nullable=True),
        sa.Column("swap_pct_min", sa.REAL(), nullable=True),
        sa.Column("swap_pct_max", sa.REAL(), nullable=True),
        sa.Column("disk_pct_avg", sa.REAL(), nullable=True),
        sa.Column("disk_pct_min", sa.REAL(), nullable=True),
        sa.Column("disk_pct_max", sa.REAL(), nullable=True),
        sa.Column("disk_read_bps_avg", sa.REAL(), nullable=True),
        sa.Column("disk_read_bps_min", sa.REAL(), nullable=True),
        sa.Column("disk_read_bps_max", sa.REAL(), nullable=True),
        sa.Column("disk_write_bps_avg", sa.REAL(), nullable=True),
        sa.Column("disk_write_bps_min", sa.REAL(), nullable=True),
        sa.Column("disk_write_bps_max", sa.REAL(), nullable=True),
        sa.Column("net_rx_bps_avg", sa.REAL(), nullable=True),
        sa.Column("net_rx_bps_min", sa.REAL(), nullable=True),
        sa.Column("net_rx_bps_max", sa.REAL(), nullable=True),
        sa.Column("net_tx_bps_avg", sa.REAL(), nullable=True),
        sa.Column("net_tx_bps_min", sa.REAL(), nullable=True),
        sa.Column("net_tx_bps_max", sa.REAL(), nullable=True),
        sa.PrimaryKeyConstraint("host_id", "bucket", name=op.f("pk_host_metrics_1m")),
        postgresql_partition_by="RANGE (bucket)",
    )
    op.create_table(
        "log_lines",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=True),
        sa.Column("host_id", sa.Uuid(), nullable=True),
        sa.Column("service_id", sa.Uuid(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("attributes", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "search",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('simple', message)", persisted=True),
            nullable=True,
        ),
        postgresql_partition_by="RANGE (at)",
    )
    op.create_index(
        "ix_log_lines_search", "log_lines", ["search"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_log_lines_team_id_at", "log_lines", ["team_id", "at"], unique=False)
    op.create_table(
        "service_metrics",
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("latency_p95_ms", sa.REAL(), nullable=True),
        postgresql_partition_by="RANGE (at)",
    )
    op.create_index(
        "ix_service_metrics_service_id_at", "service_metrics", ["service_id", "at"], unique=False
    )
    op.create_table(
        "hosts",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("labels", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("agent_key_id", sa.Uuid(), nullable=True),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("missing_after", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "online",
                "missing",
                name="host_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hostname", sa.String(length=255), nullable=True),
        sa.Column("agent_version", sa.String(length=32), nullable=True),
        sa.Column("os", sa.String(length=32), nullable=True),
        sa.Column("latest", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["agent_key_id"],
            ["api_keys.id"],
            name=op.f("fk_hosts_agent_key_id_api_keys"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_hosts_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hosts")),
        sa.UniqueConstraint("agent_key_id", name=op.f("uq_hosts_agent_key_id")),
    )
    op.create_index(op.f("ix_hosts_team_id"), "hosts", ["team_id"], unique=False)
    op.add_column("incidents", sa.Column("host_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_incidents_host_id"), "incidents", ["host_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_incidents_host_id_hosts"),
        "incidents",
        "hosts",
        ["host_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.drop_constraint(op.f("ck_incidents_incident_source"), "incidents", type_="check")
    op.create_check_constraint(
        "incident_source",
        "incidents",
        "source IN ('service_status', 'host_status', 'rule', 'manual')",
    )
    # Rows outside every partition (clock skew, late batches) land here instead of failing.
    for table in (
        "host_metrics",
        "host_metrics_1m",
        "host_metrics_1h",
        "service_metrics",
        "log_lines",
    ):
        op.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_incidents_incident_source"), "incidents", type_="check")
    op.create_check_constraint(
        "incident_source", "incidents", "source IN ('service_status', 'rule', 'manual')"
    )
    op.drop_constraint(op.f("fk_incidents_host_id_hosts"), "incidents", type_="foreignkey")
    op.drop_index(op.f("ix_incidents_host_id"), table_name="incidents")
    op.drop_column("incidents", "host_id")
    op.drop_index(op.f("ix_hosts_team_id"), table_name="hosts")
    op.drop_table("hosts")
    op.drop_index("ix_service_metrics_service_id_at", table_name="service_metrics")
    op.drop_table("service_metrics")
    op.drop_index("ix_log_lines_team_id_at", table_name="log_lines")
    op.drop_index("ix_log_lines_search", table_name="log_lines", postgresql_using="gin")
    op.drop_table("log_lines")
    op.drop_table("host_metrics_1m")
    op.drop_table("host_metrics_1h")
    op.drop_index("ix_host_metrics_host_id_at", table_name="host_metrics")
    op.drop_table("host_metrics")
