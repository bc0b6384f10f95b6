"""status page access, custom domains and logos; published incidents and maintenance;
subscribers; service badges

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 18:45:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("status_pages", sa.Column("custom_domain", sa.String(253), nullable=True))
    op.create_unique_constraint(
        op.f("uq_status_pages_custom_domain"), "status_pages", ["custom_domain"]
    )
    op.add_column("status_pages", sa.Column("logo", sa.LargeBinary(), nullable=True))
    op.add_column("status_pages", sa.Column("logo_type", sa.String(32), nullable=True))
    op.add_column(
        "status_pages",
        sa.Column("access", sa.String(32), nullable=False, server_default="public"),
    )
    op.create_check_constraint(
        op.f("ck_status_pages_access"), "status_pages", "access IN ('public', 'password', 'ip')"
    )
    op.add_column("status_pages", sa.Column("password_hash", sa.String(200), nullable=True))
    op.add_column(
        "status_pages",
        sa.Column(
            "allowed_ips",
            postgresql.ARRAY(sa.String(50)),
            nullable=False,
            server_default="{}",
        ),
    )

    op.add_column(
        "maintenance_windows",
        sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("maintenance_windows", sa.Column("public_title", sa.String(200), nullable=True))
    op.add_column("maintenance_windows", sa.Column("public_body", sa.Text(), nullable=True))

    op.add_column("services", sa.Column("badge_key", sa.String(32), nullable=True))
    op.create_unique_constraint(op.f("uq_services_badge_key"), "services", ["badge_key"])

    op.create_table(
        "public_incidents",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("impact", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("page_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("component_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "impact IN ('none', 'degraded_performance', 'partial_outage', 'major_outage')",
            name=op.f("ck_public_incidents_impact"),
        ),
        sa.CheckConstraint(
            "status IN ('investigating', 'identified', 'monitoring', 'resolved')",
            name=op.f("ck_public_incidents_notice_status"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_public_incidents_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_public_incidents_incident_id_incidents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_incidents")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_public_incidents_incident_id")),
    )
    op.create_index(
        "ix_public_incidents_team_id_created_at", "public_incidents", ["team_id", "created_at"]
    )
    op.create_table(
        "public_updates",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("notice_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("author", sa.String(254), nullable=True),
        sa.CheckConstraint(
            "status IN ('investigating', 'identified', 'monitoring', 'resolved')",
            name=op.f("ck_public_updates_notice_status"),
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["public_incidents.id"],
            name=op.f("fk_public_updates_notice_id_public_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_updates")),
    )
    op.create_index("ix_public_updates_notice_id_id", "public_updates", ["notice_id", "id"])
    op.create_table(
        "status_subscribers",
        sa.Column("page_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("address", sa.String(2048), nullable=False),
        sa.Column("component_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('email', 'webhook')", name=op.f("ck_status_subscribers_subscriber_kind")
        ),
        sa.ForeignKeyConstraint(
            ["page_id"],
            ["status_pages.id"],
            name=op.f("fk_status_subscribers_page_id_status_pages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_subscribers")),
        sa.UniqueConstraint(
            "page_id", "kind", "address", name=op.f("uq_status_subscribers_page_id")
        ),
    )
    op.create_index(op.f("ix_status_subscribers_page_id"), "status_subscribers", ["page_id"])


def downgrade() -> None:
    op.drop_table("status_subscribers")
    op.drop_table("public_updates")
    op.drop_table("public_incidents")
    op.drop_constraint(op.f("uq_services_badge_key"), "services", type_="unique")
    op.drop_column("services", "badge_key")
    for column in ("public_body", "public_title", "public"):
        op.drop_column("maintenance_windows", column)
    op.drop_constraint(op.f("uq_status_pages_custom_domain"), "status_pages", type_="unique")
    op.drop_constraint(op.f("ck_status_pages_access"), "status_pages", type_="check")
    for column in ("allowed_ips", "password_hash", "access", "logo_type", "logo", "custom_domain"):
        op.drop_column("status_pages", column)
