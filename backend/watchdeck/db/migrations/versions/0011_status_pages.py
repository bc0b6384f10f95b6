"""public status pages and their components

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 18:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_pages",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("theme", sa.String(length=32), nullable=False),
        sa.Column("indexed", sa.Boolean(), nullable=False),
        sa.Column("footer_links", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "theme IN ('auto', 'light', 'dark')", name=op.f("ck_status_pages_theme")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_status_pages_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_pages")),
        sa.UniqueConstraint("slug", name=op.f("uq_status_pages_slug")),
    )
    op.create_index(op.f("ix_status_pages_team_id"), "status_pages", ["team_id"])
    op.create_table(
        "status_components",
        sa.Column("page_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("group_name", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("service_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("host_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("show_latency", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["page_id"],
            ["status_pages.id"],
            name=op.f("fk_status_components_page_id_status_pages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_components")),
    )
    op.create_index(op.f("ix_status_components_page_id"), "status_components", ["page_id"])


def downgrade() -> None:
    op.drop_table("status_components")
    op.drop_table("status_pages")
