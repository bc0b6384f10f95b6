"""alerts and channels

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 10:04:21.313253
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DEFAULT_RULES = (
    ("Service down", "service_down", "service"),
    ("Host missing", "host_missing", "host"),
)


def upgrade() -> None:
    op.create_table(
        "alert_rules",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "condition",
            sa.Enum(
                "service_down",
                "service_degraded",
                "latency_avg",
                "latency_p95",
                "error_rate",
                "tls_expiry",
                "cpu",
                "ram",
                "disk",
                "host_missing",
                name="alert_condition",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "target_kind",
            sa.Enum(
                "service",
                "host",
                name="alert_target_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("target_id", sa.Uuid(), nullable=True),
        sa.Column("target_tags", postgresql.ARRAY(sa.String(length=50)), nullable=False),
        sa.Column("target_labels", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("recovery_threshold", sa.Float(), nullable=True),
        sa.Column("window_s", sa.Integer(), nullable=False),
        sa.Column("for_samples", sa.Integer(), nullable=False),
        sa.Column("for_s", sa.Integer(), nullable=False),
        sa.Column(
            "severity",
            sa.Enum(
                "low",
                "medium",
                "high",
                "critical",
                name="severity",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("open_incident", sa.Boolean(), nullable=False),
        sa.Column("repeat_s", sa.Integer(), nullable=True),
        sa.Column("depends_on_id", sa.Uuid(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["depends_on_id"],
            ["alert_rules.id"],
            name=op.f("fk_alert_rules_depends_on_id_alert_rules"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_alert_rules_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_rules")),
    )
    op.create_index(op.f("ix_alert_rules_team_id"), "alert_rules", ["team_id"], unique=False)
    op.create_table(
        "channels",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "slack",
                "discord",
                "email",
                "webhook",
                name="channel_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("config", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("secrets", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_channels_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channels")),
    )
    op.create_index(op.f("ix_channels_team_id"), "channels", ["team_id"], unique=False)
    op.create_table(
        "alert_rule_channels",
        sa.Column("rule_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_alert_rule_channels_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["alert_rules.id"],
            name=op.f("fk_alert_rule_channels_rule_id_alert_rules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rule_id", "channel_id", name=op.f("pk_alert_rule_channels")),
    )
    op.create_index(
        op.f("ix_alert_rule_channels_channel_id"),
        "alert_rule_channels",
        ["channel_id"],
        unique=False,
    )
    op.create_table(
        "alert_states",
        sa.Column("rule_id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "ok",
                "pending",
                "firing",
                name="alert_eval_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("alert_id", sa.Uuid(), nullable=True),
        sa.Column("last_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["alert_rules.id"],
            name=op.f("fk_alert_states_rule_id_alert_rules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rule_id", "subject_id", name=op.f("pk_alert_states")),
    )
    op.create_index(
        op.f("ix_alert_states_subject_id"), "alert_states", ["subject_id"], unique=False
    )
    op.create_table(
        "deliveries",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("test", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "retrying",
                "sent",
                "failed",
                name="delivery_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("log", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_deliveries_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_deliveries_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
    )
    op.create_index(
        "ix_deliveries_channel_id_created_at",
        "deliveries",
        ["channel_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "alerts",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("rule_id", sa.Uuid(), nullable=True),
        sa.Column("rule_name", sa.String(length=100), nullable=False),
        sa.Column(
            "condition",
            sa.Enum(
                "service_down",
                "service_degraded",
                "latency_avg",
                "latency_p95",
                "error_rate",
                "tls_expiry",
                "cpu",
                "ram",
                "disk",
                "host_missing",
                name="alert_condition",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "subject_kind",
            sa.Enum(
                "service",
                "host",
                name="alert_target_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("subject_name", sa.String(length=100), nullable=False),
        sa.Column(
            "severity",
            sa.Enum(
                "low",
                "medium",
                "high",
                "critical",
                name="severity",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "firing",
                "resolved",
                name="alert_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suppressed_by", sa.Uuid(), nullable=True),
        sa.Column("notified", sa.Boolean(), nullable=False),
        sa.Column("last_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("incident_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_alerts_incident_id_incidents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["alert_rules.id"],
            name=op.f("fk_alerts_rule_id_alert_rules"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_alerts_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(
        "ix_alerts_firing",
        "alerts",
        ["team_id"],
        unique=False,
        postgresql_where=sa.text("status = 'firing'"),
    )
    op.create_index(op.f("ix_alerts_rule_id"), "alerts", ["rule_id"], unique=False)
    op.create_index(op.f("ix_alerts_subject_id"), "alerts", ["subject_id"], unique=False)
    op.create_index(
        "ix_alerts_team_id_started_at", "alerts", ["team_id", "started_at"], unique=False
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("alert_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "firing",
                "resolved",
                "reminder",
                name="notification_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivery_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_notifications_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_notifications_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_notifications_delivery_id_deliveries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_notifications_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index(op.f("ix_notifications_alert_id"), "notifications", ["alert_id"], unique=False)
    op.create_index(
        op.f("ix_notifications_delivery_id"), "notifications", ["delivery_id"], unique=False
    )
    op.create_index(
        "ix_notifications_waiting",
        "notifications",
        ["channel_id", "created_at"],
        unique=False,
        postgresql_where=sa.text("delivery_id IS NULL"),
    )
    # Teams made before alerts existed get the same default rules as new ones (listed here,
    # not imported, so this migration stays as it is when the app changes).
    for name, condition, kind in DEFAULT_RULES:
        op.execute(
            sa.text(
                "INSERT INTO alert_rules (id, team_id, name, condition, target_kind, target_tags,"
                " target_labels, window_s, for_samples, for_s, severity, open_incident, enabled,"
                " created_at, updated_at)"
                " SELECT gen_random_uuid(), id, :name, :condition, :kind, '{}', '{}', 300, 1, 0,"
                " 'high', false, true, now(), now() FROM teams"
            ).bindparams(name=name, condition=condition, kind=kind)
        )
    op.add_column("services", sa.Column("host_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_services_host_id"), "services", ["host_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_services_host_id_hosts"),
        "services",
        "hosts",
        ["host_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_services_host_id_hosts"), "services", type_="foreignkey")
    op.drop_index(op.f("ix_services_host_id"), table_name="services")
    op.drop_column("services", "host_id")
    op.drop_index(
        "ix_notifications_waiting",
        table_name="notifications",
        postgresql_where=sa.text("delivery_id IS NULL"),
    )
    op.drop_index(op.f("ix_notifications_delivery_id"), table_name="notifications")
    op.drop_index(op.f("ix_notifications_alert_id"), table_name="notifications")
    op.drop_table("notifications")
    op.drop_index("ix_alerts_team_id_started_at", table_name="alerts")
    op.drop_index(op.f("ix_alerts_subject_id"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_rule_id"), table_name="alerts")
    op.drop_index(
        "ix_alerts_firing", table_name="alerts", postgresql_where=sa.text("status = 'firing'")
    )
    op.drop_table("alerts")
    op.drop_index("ix_deliveries_channel_id_created_at", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index(op.f("ix_alert_states_subject_id"), table_name="alert_states")
    op.drop_table("alert_states")
    op.drop_index(op.f("ix_alert_rule_channels_channel_id"), table_name="alert_rule_channels")
    op.drop_table("alert_rule_channels")
    op.drop_index(op.f("ix_channels_team_id"), table_name="channels")
    op.drop_table("channels")
    op.drop_index(op.f("ix_alert_rules_team_id"), table_name="alert_rules")
    op.drop_table("alert_rules")
